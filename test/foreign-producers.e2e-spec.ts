import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { QueueHealthService, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { runCommand, type CommandResult } from './support/run-command';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, REDIS_URL, deleteKeys, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const EXAMPLES = join(__dirname, '..', 'examples');

/**
 * A Python interpreter that can import pika: `PYTHON` when set, else `python3`, else the system
 * interpreter, which is the one Debian's python3-pika installs for (a `python3` earlier on PATH,
 * such as a pyenv or virtualenv one, may not see it).
 */
function findPythonWithPika(): string | undefined {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3'];
  return candidates.find((python) => spawnSync(python, ['-c', 'import pika'], { stdio: 'ignore', timeout: 10_000 }).status === 0);
}

/** The RabbitMQ Java client's class path from Debian's librabbitmq-client-java and libslf4j-java (`JAVA_AMQP_CLASSPATH` overrides). */
function findJavaClassPath(): string | undefined {
  const jars =
    process.env.JAVA_AMQP_CLASSPATH?.split(':') ??
    ['amqp-client.jar', 'slf4j-api.jar', 'slf4j-nop.jar'].map((j) => join('/usr/share/java', j));
  const javaRuns = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return javaRuns && jars.every((jar) => existsSync(jar)) ? jars.join(':') : undefined;
}

/** A producer example: how to run it with `TYPE ID DATA_JSON [CORRELATION_ID]`, or why it cannot run here. */
interface Producer {
  language: string;
  example: string;
  command?: (args: string[]) => [string, string[]];
  missing: string;
}

const python = findPythonWithPika();
const javaClassPath = findJavaClassPath();
const PRODUCERS: Producer[] = [
  {
    language: 'Python',
    example: 'examples/python/publish_event.py',
    command: python ? (args) => [python, [join(EXAMPLES, 'python', 'publish_event.py'), ...args]] : undefined,
    missing: 'no python3 that can import pika (install python3-pika, or set PYTHON to an interpreter that has pika)',
  },
  {
    language: 'Java',
    example: 'examples/java/PublishEvent.java',
    command: javaClassPath ? (args) => ['java', ['-cp', javaClassPath, join(EXAMPLES, 'java', 'PublishEvent.java'), ...args]] : undefined,
    missing: 'no java with the RabbitMQ client (install librabbitmq-client-java and libslf4j-java, or set JAVA_AMQP_CLASSPATH)',
  },
];
for (const p of PRODUCERS) if (!p.command) console.warn(`foreign-producers.e2e-spec: ${p.language} producer SKIPPED, ${p.missing}`);

describe.each(PRODUCERS)('a producer in $language ($example)', ({ language, command, missing }) => {
  const maybeIt = command ? it : it.skip;
  const topology = uniqueTopology('foreign');
  const serviceName = uniqueName('foreign');
  const source = uniqueName(`${language.toLowerCase()}-billing`);
  const queues: string[] = [];
  let service: TestService;
  let raw: RawAmqp;
  let redis: Redis;

  /** Runs the example as a producer in another language would be run. */
  const publish = (type: string, id: string, data: unknown, correlationId?: string): Promise<CommandResult> => {
    const [program, args] = command!([type, id, JSON.stringify(data), ...(correlationId ? [correlationId] : [])]);
    return runCommand(program, args, { env: { RABBITMQ_URL, EVENT_EXCHANGE: topology.exchange, EVENT_SOURCE: source }, timeoutMs: 60_000 });
  };

  beforeAll(async () => {
    if (!command) return;
    raw = await RawAmqp.connect();
    redis = new Redis(REDIS_URL);
    service = await startService(testOptions(serviceName, topology));
  });

  afterAll(async () => {
    if (!command) return;
    await service?.close();
    await raw.cleanupTopology(topology, queues);
    await raw.close();
    await deleteKeys(redis, topology.keyPrefix);
    redis.disconnect();
  });

  maybeIt(
    `delivers a structured-mode CloudEvent with its id, source, correlation id and data to a handler${command ? '' : ` [skipped: ${missing}]`}`,
    async () => {
      const received: EventEnvelope[] = [];
      const sub = await service.bus.subscribe('INVOICE_ISSUED', (event) => void received.push(event));
      queues.push(sub.queue);
      const id = uniqueName('invoice');
      const data = { invoiceId: 'inv-7', amount: 12.5, lines: [{ sku: 'a', qty: 2 }], note: 'Grüße' };

      const before = Date.now();
      const result = await publish('INVOICE_ISSUED', id, data, 'tx-foreign-1');
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`published INVOICE_ISSUED ${id}`) });

      await waitFor(() => received.some((e) => e.id === id), { message: 'the handler to receive the Python event' });
      const event = received.find((e) => e.id === id)!;
      expect(event).toMatchObject({
        id,
        type: 'INVOICE_ISSUED',
        data,
        metadata: { source, correlationId: 'tx-foreign-1', version: '1.0.0', schemaVersion: '1.0' },
      });
      // `time` is the producer's clock, ISO-8601 with milliseconds.
      const sentAt = Date.parse(event.metadata.timestamp);
      expect(sentAt).toBeGreaterThanOrEqual(before - 60_000);
      expect(sentAt).toBeLessThanOrEqual(Date.now() + 60_000);
      await sub.unsubscribe();
    },
  );

  maybeIt('runs the handler once when the same event id is published twice', async () => {
    const calls: string[] = [];
    const sub = await service.bus.subscribe('PAYMENT_SETTLED', (event) => void calls.push(event.id));
    queues.push(sub.queue);
    const id = uniqueName('payment');

    expect((await publish('PAYMENT_SETTLED', id, { paymentId: 'p-1' })).code).toBe(0);
    expect((await publish('PAYMENT_SETTLED', id, { paymentId: 'p-1' })).code).toBe(0);

    // Both copies are settled only once the ledger has counted the second as a duplicate.
    const health = service.app.get(QueueHealthService);
    const counters = async () => (await health.snapshot()).queues.find((q) => q.queue === sub.queue);
    await waitFor(async () => (await counters())?.duplicates === 1, { message: 'the second copy to count as a duplicate' });
    expect(await counters()).toMatchObject({ handled: 1, duplicates: 1, failed: 0, deadLettered: 0 });
    expect(calls).toEqual([id]);
    await sub.unsubscribe();
  });

  maybeIt('exits non-zero naming the unroutable message when no service subscribes to the type', async () => {
    const type = `NOBODY_LISTENS_${Date.now()}`;
    const id = uniqueName('lost');
    const result = await publish(type, id, { n: 1 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unroutable/);
    expect(result.stderr).toContain(type);
    expect(result.stderr).toContain(id);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
