import { Parser } from '@asyncapi/parser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AsyncApiDocumentService, EventBusAsyncApiModule, type AsyncApiDocument } from 'nestjs-event-bus';
import { writeAsyncApiDocument } from '../libs/event-bus/src/asyncapi/asyncapi.cli';
import { KycHandlers, KycStartedDto, UserCreatedDto } from './fixtures/asyncapi-app.module';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RawAmqp } from './support/raw-amqp';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';

type Json = Record<string, any>;

/** Errors (severity 0) the AsyncAPI parser reports, as readable lines. */
async function parserErrors(document: unknown): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  return diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
}

describe('AsyncAPI document', () => {
  const topology = uniqueTopology('asyncapi');
  const serviceName = uniqueName('kyc');
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterAll(async () => {
    await raw.cleanup({ exchanges: [topology.exchange, topology.deadLetterExchange, `${topology.exchange}.dlx`] });
    await raw.close();
  });

  describe('served by a running service', () => {
    let service: TestService;
    let base: string;
    const queues = [`${serviceName}.USER_CREATED.KycHandlers.onUserCreated`, `${serviceName}.USER_CREATED.KycHandlers.alsoOnUserCreated`];

    beforeAll(async () => {
      service = await startService(
        testOptions(serviceName, topology, { schemas: { USER_CREATED: UserCreatedDto, KYC_STARTED: KycStartedDto } }),
        { imports: [EventBusAsyncApiModule.forRoot({ path: '/docs/events', publishes: ['KYC_STARTED'] })], providers: [KycHandlers] },
      );
      await service.app.listen(0, '127.0.0.1');
      base = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
    });

    afterAll(async () => {
      await service?.close();
      // The private DOCUMENT_UPLOADED queue goes with the connection; its DLQ stays.
      await raw.cleanup({
        queues: [...queues.flatMap((q) => [q, `${q}.dlq`, `${q}.retry.50`]), `${serviceName}.DOCUMENT_UPLOADED.dlq`],
      });
    });

    it('serves JSON and YAML that the AsyncAPI parser accepts without errors', async () => {
      const json = await fetch(`${base}/docs/events`);
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toMatch(/application\/json/);
      const document = (await json.json()) as AsyncApiDocument;
      expect(await parserErrors(document)).toEqual([]);

      const yaml = await fetch(`${base}/docs/events.yaml`);
      expect(yaml.headers.get('content-type')).toMatch(/application\/yaml/);
      const fromYaml = parseYaml(await yaml.text()) as Json;
      expect(fromYaml).toEqual(document);
      expect(await (await fetch(`${base}/docs/events.json`)).json()).toEqual(document);
    });

    it('describes channels, operations, payload schemas and AMQP bindings of the service', () => {
      const doc = service.app.get(AsyncApiDocumentService).document({ publishes: ['KYC_STARTED'] }) as Json;
      expect(doc.asyncapi).toBe('3.0.0');
      // A channel per event type on the events exchange...
      expect(doc.channels.USER_CREATED.address).toBe('USER_CREATED');
      expect(doc.channels.USER_CREATED.bindings.amqp).toMatchObject({
        is: 'routingKey',
        exchange: { name: topology.exchange, type: 'topic', durable: true },
      });
      // ...a send operation for the declared published type...
      expect(doc.operations['send.KYC_STARTED']).toMatchObject({ action: 'send', channel: { $ref: '#/channels/KYC_STARTED' } });
      // ...and a receive operation per handler queue (two handlers of one type: a queue each).
      for (const queue of queues) {
        expect(doc.channels[`queue.${queue}`].bindings.amqp).toMatchObject({ is: 'queue', queue: { name: queue, durable: true } });
        expect(doc.operations[`receive.${queue}`]).toMatchObject({ action: 'receive', channel: { $ref: `#/channels/queue.${queue}` } });
      }
      const privateQueue = doc.channels[`queue.${serviceName}.DOCUMENT_UPLOADED`];
      expect(privateQueue.bindings.amqp.queue).toMatchObject({ durable: false, exclusive: true, autoDelete: true });

      // The payload is the CloudEvent of structured mode, `data` the DTO's schema.
      const message = doc.components.messages.USER_CREATED;
      expect(message.contentType).toBe('application/cloudevents+json');
      expect(message.payload.properties.type).toEqual({ const: 'USER_CREATED' });
      expect(message.payload.properties.data).toEqual({ $ref: '#/components/schemas/UserCreatedDto' });
      const dto = doc.components.schemas.UserCreatedDto;
      expect(dto.required).toEqual(expect.arrayContaining(['userId', 'email', 'role', 'address']));
      expect(dto.properties.email).toMatchObject({ type: 'string', format: 'email' });
      expect(dto.properties.role).toMatchObject({ enum: ['STUDENT', 'TEACHER'] });
      expect(dto.properties.address).toMatchObject({ $ref: '#/components/schemas/Address' });
      expect(doc.components.schemas.Address.properties.city).toMatchObject({ type: 'string' });
      expect(doc.components.schemas.KycStartedDto.properties.level).toMatchObject({ type: 'integer', minimum: 1 });
      // No credentials reach the document.
      expect(JSON.stringify(doc)).not.toContain('guest:guest');
      expect(doc.servers.rabbitmq).toMatchObject({ protocol: 'amqp', host: '127.0.0.1:5672' });
    });
  });

  describe('written by the command, without starting the application', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncapi-'));
    const cmdService = uniqueName('kyc-cmd');
    const cmdExchange = `${topology.exchange}.cmd`;

    beforeAll(() => {
      process.env.ASYNCAPI_FIXTURE_SERVICE = cmdService;
      process.env.ASYNCAPI_FIXTURE_RABBITMQ_URL = RABBITMQ_URL;
      process.env.ASYNCAPI_FIXTURE_EXCHANGE = cmdExchange;
    });

    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await raw.cleanup({ exchanges: [cmdExchange, `${cmdExchange}.dlx`] });
    });

    it('writes a valid YAML document with the module options, declaring no queue and running no handler', async () => {
      const out = join(dir, 'asyncapi.yaml');
      await writeAsyncApiDocument({
        module: require.resolve('./fixtures/asyncapi-app.module'),
        out,
        format: 'yaml',
        publishes: ['USER_CREATED'],
      });
      const doc = parseYaml(readFileSync(out, 'utf8')) as Json;
      expect(await parserErrors(doc)).toEqual([]);
      expect(doc.info.title).toBe('KYC events');
      expect(
        Object.keys(doc.operations)
          .filter((k) => k.startsWith('send.'))
          .sort(),
      ).toEqual(['send.KYC_STARTED', 'send.USER_CREATED']);
      expect(doc.operations[`receive.${cmdService}.USER_CREATED.KycHandlers.onUserCreated`].action).toBe('receive');
      // Handlers were read from their decorators: nothing was bound on the broker.
      expect(await raw.exists(`${cmdService}.USER_CREATED.KycHandlers.onUserCreated`)).toBe(false);
    });

    it('names what to fix when the module file has no single module class', async () => {
      await expect(writeAsyncApiDocument({ module: require.resolve('./support/test-names'), format: 'json' })).rejects.toThrow(
        /name the module class with --export/,
      );
    });
  });
});
