import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { DeadLetterService, EventBusConsoleModule, InvalidConsoleOptionsError } from 'nestjs-event-bus';
import { OPERATOR_TOKEN, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';
import { RawAmqp } from './support/raw-amqp';
import { testLogger } from './support/test-logger';
import { deleteKeys, RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** A JSON request to the console API, with the operator's token unless told otherwise. */
async function call(
  fixture: ConsoleFixture,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${OPERATOR_TOKEN}` },
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fixture.consoleUrl}/api${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const dl = (fixture: ConsoleFixture, suffix = '') => `/queues/${encodeURIComponent(fixture.queue)}/dead-letters${suffix}`;

describe('operator console JSON API', () => {
  let fixture: ConsoleFixture;
  let deadLetters: DeadLetterService;
  const ids: string[] = [];

  beforeAll(async () => {
    fixture = await startConsoleFixture('cons-api');
    deadLetters = fixture.service.app.get(DeadLetterService);
    for (let i = 0; i < 12; i++) ids.push(await fixture.publish({ customer: `bad-${i}`, amount: 10 + i }));
    await waitFor(async () => (await deadLetters.count(fixture.queue)) === 12, { message: 'twelve dead letters' });
  });

  afterAll(() => fixture?.close());

  it('refuses requests without the guard’s credentials, and changes nothing', async () => {
    for (const [method, path] of [
      ['GET', '/queues'],
      ['GET', dl(fixture)],
    ] as const) {
      expect((await call(fixture, method, path, undefined, {})).status).toBe(401);
    }
    const purge = await call(fixture, 'POST', dl(fixture, '/purge'), { confirm: true }, { authorization: 'Bearer wrong' });
    expect(purge.status).toBe(401);
    const page = await fetch(fixture.consoleUrl);
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toContain('Basic');
    expect(await deadLetters.count(fixture.queue)).toBe(12);
  });

  it('lists the service’s queues with depth, consumers, counters and the dead-letter count', async () => {
    const { status, body } = await call(fixture, 'GET', '/queues');
    expect(status).toBe(200);
    expect(body).toMatchObject({ service: fixture.queue.split('.')[0], status: 'up', rabbitmq: 'up', redis: 'up' });
    expect(body.queues).toHaveLength(1);
    expect(body.queues[0]).toMatchObject({
      queue: fixture.queue,
      deadLetterQueue: fixture.deadLetterQueue,
      type: 'INVOICE_ISSUED',
      messagesReady: 0,
      consumers: 1,
      inFlight: 0,
      deadLetterDepth: 12,
      deadLettered: 12,
    });
    expect(body.queues[0].handlerMs).toEqual(expect.objectContaining({ p50: expect.any(Number), p99: expect.any(Number) }));
    expect(body.queues[0].trend.deadLetterSamples.at(-1).depth).toBe(12);
  });

  it('pages a dead-letter queue oldest first and leaves every message in place and in order', async () => {
    const page = await call(fixture, 'GET', `${dl(fixture)}?offset=5&limit=4`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ queue: fixture.queue, deadLetterQueue: fixture.deadLetterQueue, total: 12, offset: 5, limit: 4 });
    expect(page.body.deadLetters.map((d: any) => d.eventId)).toEqual(ids.slice(5, 9));
    expect(page.body.deadLetters[0]).toMatchObject({
      type: 'INVOICE_ISSUED',
      error: 'customer bad-5 is blocked',
      errorName: 'NonRetryableError',
      attempts: 1,
      correlationId: 'tx-bad-5',
      history: [expect.objectContaining({ attempt: 1, error: 'customer bad-5 is blocked' })],
    });
    expect(JSON.parse(page.body.deadLetters[0].body).data).toEqual({ customer: 'bad-5', amount: 15 });
    expect(page.body.deadLetters[0].headers['x-original-queue']).toBe(fixture.queue);
    // The default page size of the console is 50; everything is still there, in order.
    const all = await call(fixture, 'GET', dl(fixture));
    expect(all.body.deadLetters.map((d: any) => d.eventId)).toEqual(ids);
    expect((await call(fixture, 'GET', `${dl(fixture)}?offset=12`)).body.deadLetters).toEqual([]);
  });

  it('refuses bad paging parameters and queues that are not the service’s, naming what to fix', async () => {
    expect(await call(fixture, 'GET', `${dl(fixture)}?offset=-1`)).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('offset must be a whole number') },
    });
    expect((await call(fixture, 'GET', `${dl(fixture)}?limit=100000`)).status).toBe(400);
    const foreign = await call(fixture, 'GET', '/queues/someone-else.ORDER_PLACED/dead-letters');
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toContain('someone-else.ORDER_PLACED is not a queue of service');
    expect(foreign.body.message).toContain(fixture.queue);
    expect((await call(fixture, 'POST', '/queues/someone-else.ORDER_PLACED/dead-letters/purge', { confirm: true })).status).toBe(404);
  });

  it('shows one dead letter, found by its event id, and says when it is gone', async () => {
    const one = await call(fixture, 'GET', dl(fixture, `/${ids[7]}`));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ eventId: ids[7], error: 'customer bad-7 is blocked' });
    const missing = await call(fixture, 'GET', dl(fixture, '/no-such-event'));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/No dead letter no-such-event in .*\.dlq: it was replayed or purged already/);
  });

  it('replays one dead letter to the fixed handler; replaying it again says it is gone and duplicates nothing', async () => {
    fixture.failing.value = false;
    const first = await call(fixture, 'POST', dl(fixture, `/${ids[0]}/replay`), {});
    expect(first).toMatchObject({ status: 200, body: { replayed: [ids[0]], skipped: [], notFound: [] } });
    await waitFor(() => fixture.handled.some((e) => e.id === ids[0]), { message: 'the replayed invoice handled' });
    const again = await call(fixture, 'POST', dl(fixture, `/${ids[0]}/replay`), {});
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ notFound: [ids[0]], message: expect.stringContaining('replayed or purged already') });
    expect(fixture.handled.filter((e) => e.id === ids[0])).toHaveLength(1);
    expect(await deadLetters.count(fixture.queue)).toBe(11);
  });

  it('replays a selection, naming the ids that are no longer there', async () => {
    const result = await call(fixture, 'POST', dl(fixture, '/replay'), { ids: [ids[1], ids[2], ids[0]] });
    expect(result.status).toBe(200);
    expect(result.body.replayed.sort()).toEqual([ids[1], ids[2]].sort());
    expect(result.body.notFound).toEqual([ids[0]]);
    expect(result.body.message).toContain('1 not found');
    await waitFor(() => [ids[1], ids[2]].every((id) => fixture.handled.some((e) => e.id === id)), { message: 'both handled' });
    const gone = await call(fixture, 'POST', dl(fixture, '/replay'), { ids: [ids[1]] });
    expect(gone).toMatchObject({ status: 404, body: { notFound: [ids[1]] } });
    expect(await deadLetters.count(fixture.queue)).toBe(9);
  });

  describe('edit and replay', () => {
    const original = () => ids[3];
    const cloudEvent = async () => JSON.parse((await call(fixture, 'GET', dl(fixture, `/${original()}`))).body.body);

    it('refuses a body that is not JSON, leaving the dead letter as it was', async () => {
      const refused = await call(fixture, 'POST', dl(fixture, `/${original()}/replay`), { body: '{"data": {"customer": ' });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('body is not JSON');
      expect(refused.body.message).toContain(`it stays in ${fixture.deadLetterQueue}`);
      expect((await cloudEvent()).data).toEqual({ customer: 'bad-3', amount: 13 });
    });

    it('refuses data the type’s DTO rejects, with the validation messages', async () => {
      const event = await cloudEvent();
      const refused = await call(fixture, 'POST', dl(fixture, `/${original()}/replay`), {
        body: JSON.stringify({ ...event, data: { customer: 'good-3', amount: 0 } }),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.problems).toEqual(['data: amount must not be less than 1']);
      const typeChanged = await call(fixture, 'POST', dl(fixture, `/${original()}/replay`), {
        body: JSON.stringify({ ...event, type: 'SOMETHING_ELSE' }),
      });
      expect(typeChanged.status).toBe(400);
      expect(typeChanged.body.problems[0]).toContain('changes the event type from INVOICE_ISSUED to SOMETHING_ELSE');
      expect((await call(fixture, 'POST', dl(fixture, `/${original()}/replay`), { body: 42 })).status).toBe(400);
      expect(await deadLetters.count(fixture.queue)).toBe(9);
      expect((await cloudEvent()).data).toEqual({ customer: 'bad-3', amount: 13 });
    });

    it('replays the edited body: the handler gets the new data, once', async () => {
      fixture.failing.value = true;
      const event = await cloudEvent();
      const result = await call(fixture, 'POST', dl(fixture, `/${original()}/replay`), {
        body: JSON.stringify({ ...event, data: { customer: 'good-3', amount: 130 } }),
      });
      expect(result).toMatchObject({ status: 200, body: { replayed: [original()] } });
      await waitFor(() => fixture.handled.some((e) => e.id === original()), { message: 'the edited invoice handled' });
      expect(fixture.handled.filter((e) => e.id === original()).map((e) => e.data)).toEqual([{ customer: 'good-3', amount: 130 }]);
      expect((await call(fixture, 'GET', dl(fixture, `/${original()}`))).status).toBe(404);
      expect(await deadLetters.count(fixture.queue)).toBe(8);
    });
  });

  it('asks for confirmation before replaying all or purging, and for JSON on every change', async () => {
    expect(await call(fixture, 'POST', dl(fixture, '/replay'), { all: true })).toMatchObject({
      status: 400,
      body: { message: 'Replaying every dead letter needs "confirm": true in the request body' },
    });
    expect(await call(fixture, 'POST', dl(fixture, '/purge'), {})).toMatchObject({
      status: 400,
      body: { message: 'Purging every dead letter needs "confirm": true in the request body' },
    });
    const form = await fetch(`${fixture.consoleUrl}/api${dl(fixture, '/purge')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=true',
    });
    expect(form.status).toBe(415);
    expect(await deadLetters.count(fixture.queue)).toBe(8);
  });

  it('replays all with confirmation (still-failing ones come back), then purges', async () => {
    const result = await call(fixture, 'POST', dl(fixture, '/replay'), { all: true, confirm: true });
    expect(result.status).toBe(200);
    expect(result.body.replayed).toHaveLength(8);
    // The handler still refuses `bad-*` customers, so all eight fail again and return, replay count 1.
    await waitFor(
      async () => (await call(fixture, 'GET', dl(fixture))).body.deadLetters.filter((d: any) => d.replayCount === 1).length === 8,
      {
        message: 'the eight dead letters back after their replay',
      },
    );
    const purged = await call(fixture, 'POST', dl(fixture, '/purge'), { confirm: true });
    expect(purged).toMatchObject({ status: 200, body: { purged: 8 } });
    expect(await deadLetters.count(fixture.queue)).toBe(0);
  });
});

describe('operator console paging of a large dead-letter queue', () => {
  let fixture: ConsoleFixture;
  const COUNT = 3000;

  beforeAll(async () => {
    fixture = await startConsoleFixture('cons-page');
    // Dead letters written straight into the DLQ, as the library writes them: fast to set up in bulk.
    for (let i = 0; i < COUNT; i++) {
      fixture.raw.channel.sendToQueue(fixture.deadLetterQueue, Buffer.from(JSON.stringify({ n: i })), {
        messageId: `dl-${i}`,
        type: 'INVOICE_ISSUED',
        persistent: true,
        headers: { 'x-error': `failure ${i}`, 'x-original-queue': fixture.queue, 'x-retry-count': 0 },
      });
    }
    await fixture.raw.channel.waitForConfirms();
  });

  afterAll(() => fixture?.close());

  it('serves a deep page without taking anything, and the queue keeps its order', async () => {
    const deep = await call(fixture, 'GET', `${dl(fixture)}?offset=2900&limit=50`);
    expect(deep.status).toBe(200);
    expect(deep.body.total).toBe(COUNT);
    expect(deep.body.deadLetters.map((d: any) => d.eventId)).toEqual(Array.from({ length: 50 }, (_, i) => `dl-${2900 + i}`));
    expect(deep.body.deadLetters[0].error).toBe('failure 2900');
    for (const offset of [0, 1500, 2500]) {
      const page = await call(fixture, 'GET', `${dl(fixture)}?offset=${offset}&limit=500`);
      expect(page.body.deadLetters.map((d: any) => d.eventId)).toEqual(Array.from({ length: 500 }, (_, i) => `dl-${offset + i}`));
    }
    expect(await fixture.raw.depth(fixture.deadLetterQueue)).toBe(COUNT);
  });

  it('finds and replays one dead letter from far back, leaving the others in order', async () => {
    fixture.failing.value = false;
    const replay = await call(fixture, 'POST', dl(fixture, '/dl-2999/replay'), {
      body: JSON.stringify({ customer: 'late', amount: 5 }),
    });
    expect(replay).toMatchObject({ status: 200, body: { replayed: ['dl-2999'] } });
    await waitFor(() => fixture.handled.some((e) => e.id === 'dl-2999'), { message: 'the replayed plain JSON dead letter handled' });
    expect(fixture.handled.find((e) => e.id === 'dl-2999')!.data).toEqual({ customer: 'late', amount: 5 });
    const tail = await call(fixture, 'GET', `${dl(fixture)}?offset=2990&limit=50`);
    expect(tail.body.deadLetters.map((d: any) => d.eventId)).toEqual(Array.from({ length: 9 }, (_, i) => `dl-${2990 + i}`));
  });
});

describe('EventBusConsoleModule options', () => {
  it('refuses to mount without a guard unless told it is a development setup', () => {
    expect(() => EventBusConsoleModule.forRoot({})).toThrow(InvalidConsoleOptionsError);
    expect(() => EventBusConsoleModule.forRoot({})).toThrow(/needs a guard .* insecureDevMode: true/);
    expect(() => EventBusConsoleModule.forRoot({ insecureDevMode: true })).not.toThrow();
  });

  it('mounts at the configured path in development mode, and logs that it is unguarded', async () => {
    const fixture = await startConsoleFixture('cons-dev', { insecureDevMode: true, path: '/ops/bus/' }, 'subscription');
    try {
      const page = await fetch(fixture.consoleUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await page.text()).toContain(`<span id="service">${fixture.queue.split('.')[0]}</span>`);
      const queues = await call(fixture, 'GET', '/queues', undefined, {});
      expect(queues.body.queues.map((q: any) => q.queue)).toEqual([fixture.queue]);
      expect(fixture.service.logger.lines.some((l) => l.includes('mounted WITHOUT a guard'))).toBe(true);
      expect((await fetch(fixture.consoleUrl.replace('/ops/bus', '/event-bus'))).status).toBe(404);
    } finally {
      await fixture.close();
    }
  });
});

describe('the documents sample service', () => {
  const topology = uniqueTopology('cons-docs');
  const serviceName = uniqueName('documents');
  const queue = `${serviceName}.DOCUMENT_UPLOADED`;
  const env = {
    SERVICE_NAME: serviceName,
    RABBITMQ_URL,
    REDIS_URL,
    EVENT_EXCHANGE: topology.exchange,
    DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
    REDIS_KEY_PREFIX: topology.keyPrefix,
    CONSOLE_PASSWORD: 'documents-console-password',
  };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const raw = await RawAmqp.connect();
    await raw.cleanupTopology(topology, [queue], [300, 600, 1200]);
    await raw.close();
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, topology.keyPrefix);
    redis.disconnect();
  });

  it('mounts the console at /event-bus behind its operator guard', async () => {
    Object.assign(process.env, env);
    const { DocumentsModule } = await import('../apps/documents/src/documents.module');
    const moduleRef = await Test.createTestingModule({ imports: [DocumentsModule] })
      .setLogger(testLogger())
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/event-bus`;
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Basic');
    const authorization = `Basic ${Buffer.from(`operator:${env.CONSOLE_PASSWORD}`).toString('base64')}`;
    expect((await fetch(url, { headers: { authorization } })).status).toBe(200);
    const queues = (await (await fetch(`${url}/api/queues`, { headers: { authorization } })).json()) as {
      queues: Array<{ queue: string }>;
    };
    expect(queues.queues.map((q) => q.queue)).toEqual([queue]);
  });
});
