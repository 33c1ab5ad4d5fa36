import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, REDIS_URL, deleteKeys, uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

const CLOUD_EVENT = (id: string, type: string, source = 'raw-producer') =>
  JSON.stringify({
    specversion: '1.0',
    id,
    type,
    source,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { n: 1 },
  });

describe('idempotency ledger', () => {
  const topology = uniqueTopology('ledger');
  const queues: string[] = [];
  const services: TestService[] = [];
  let raw: RawAmqp;
  let redis: Redis;

  const start = async (name: string, overrides = {}) => {
    const s = await startService(testOptions(name, topology, overrides));
    services.push(s);
    return s;
  };

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    // The crash test's consumer process (fixtures/ledger-consumer.js) keeps the default retry delay of 1000 ms.
    await raw.cleanupTopology(topology, queues, [50, 1000]);
    await raw.close();
    await deleteKeys(redis, topology.keyPrefix);
    redis.disconnect();
  });

  it('tells events of two producers apart when they share an id (CloudEvents identity is source + id)', async () => {
    const name = uniqueName('source-id');
    const service = await start(name);
    const seen: string[] = [];
    const sub = await service.bus.subscribe('BILLED', (e: EventEnvelope) => void seen.push(`${e.metadata.source}/${e.id}`));
    queues.push(sub.queue);
    const properties = { messageId: 'order-1', contentType: 'application/cloudevents+json' };
    await raw.publish(topology.exchange, 'BILLED', CLOUD_EVENT('order-1', 'BILLED', 'urn:shop:billing'), properties);
    await raw.publish(topology.exchange, 'BILLED', CLOUD_EVENT('order-1', 'BILLED', 'urn:shop:refunds'), properties);
    await raw.publish(topology.exchange, 'BILLED', CLOUD_EVENT('order-1', 'BILLED', 'urn:shop:billing'), properties); // a true duplicate
    await waitFor(() => seen.length >= 2, { message: "both producers' events handled" });
    await waitFor(async () => (await raw.depth(sub.queue)) === 0 && (await unackedCount(sub.queue)) === 0, {
      message: 'all three settled',
    });
    expect(seen.sort()).toEqual(['urn:shop:billing/order-1', 'urn:shop:refunds/order-1']);
    expect(await redis.get(`${topology.keyPrefix}processed:${sub.queue}:urn%3Ashop%3Abilling:order-1`)).toBe('done');
  });

  it('runs the handler once for the same event id delivered twice, and marks it done with TTL eventTTL', async () => {
    const name = uniqueName('dedup');
    const service = await start(name, { redis: { url: REDIS_URL, keyPrefix: topology.keyPrefix, eventTTL: 3600 } });
    const calls: string[] = [];
    const sub = await service.bus.subscribe('PAID', (e: EventEnvelope) => void calls.push(e.id));
    queues.push(sub.queue);
    const marker = deferred();
    await service.bus.subscribe('MARKER', () => marker.resolve(), { queue: `${name}.marker` });
    queues.push(`${name}.marker`);

    await raw.publish(topology.exchange, 'PAID', CLOUD_EVENT('pay-1', 'PAID'), {
      messageId: 'pay-1',
      contentType: 'application/cloudevents+json',
    });
    await raw.publish(topology.exchange, 'PAID', CLOUD_EVENT('pay-1', 'PAID'), {
      messageId: 'pay-1',
      contentType: 'application/cloudevents+json',
    });
    await waitFor(async () => (await raw.depth(sub.queue)) === 0 && calls.length >= 1, { message: 'both copies consumed' });
    await service.bus.publish({ type: 'MARKER', data: null });
    await marker.promise;
    // Both copies were settled (queue empty) and the handler ran once.
    await waitFor(async () => (await raw.depth(sub.queue)) === 0);
    expect(calls).toEqual(['pay-1']);

    // The ledger key names the event by its source and id (CloudEvents identity).
    const key = `${topology.keyPrefix}processed:${sub.queue}:raw-producer:pay-1`;
    expect(await redis.get(key)).toBe('done');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('runs the handler again for the same id when idempotent: false', async () => {
    const service = await start(uniqueName('nodedup'));
    const calls: string[] = [];
    const sub = await service.bus.subscribe('PING', (e: EventEnvelope) => void calls.push(e.id), { idempotent: false });
    queues.push(sub.queue);
    await raw.publish(topology.exchange, 'PING', '{}', { messageId: 'ping-1' });
    await raw.publish(topology.exchange, 'PING', '{}', { messageId: 'ping-1' });
    await waitFor(() => calls.length === 2, { message: 'two handler calls' });
    expect(calls).toEqual(['ping-1', 'ping-1']);
  });

  it('runs the handler once when two instances get the same event at the same time', async () => {
    const name = uniqueName('race');
    const one = await start(name);
    const two = await start(name);
    const calls: string[] = [];
    const release = deferred();
    const handler = async (e: EventEnvelope) => {
      calls.push(e.id);
      await release.promise;
    };
    const sub = await one.bus.subscribe('RACE', handler, { prefetch: 1 });
    await two.bus.subscribe('RACE', handler, { prefetch: 1 });
    queues.push(sub.queue);

    await raw.publish(topology.exchange, 'RACE', CLOUD_EVENT('race-1', 'RACE'), {
      messageId: 'race-1',
      contentType: 'application/cloudevents+json',
    });
    await raw.publish(topology.exchange, 'RACE', CLOUD_EVENT('race-1', 'RACE'), {
      messageId: 'race-1',
      contentType: 'application/cloudevents+json',
    });
    // With prefetch 1 each, an empty queue means each instance holds one copy while the
    // first handler is still blocked.
    await waitFor(async () => (await raw.depth(sub.queue)) === 0 && calls.length === 1, { message: 'both copies delivered' });
    release.resolve();
    await waitFor(async () => (await redis.get(`${topology.keyPrefix}processed:${sub.queue}:raw-producer:race-1`)) === 'done');

    // The waiting copy sees "done" and is acked without a second call.
    await waitFor(async () => (await unackedCount(sub.queue)) === 0, { message: 'both copies acked' });
    expect(await raw.depth(sub.queue)).toBe(0);
    expect(calls).toEqual(['race-1']);
  });

  it('loses nothing when the consumer process is killed mid-handler', async () => {
    const name = uniqueName('crash');
    const effectsKey = `${topology.keyPrefix}effects`;
    queues.push(`${name}.EFFECT`);
    const env = {
      ...process.env,
      SERVICE_NAME: name,
      RABBITMQ_URL,
      REDIS_URL,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      REDIS_KEY_PREFIX: topology.keyPrefix,
      EFFECTS_KEY: effectsKey,
      LEASE_TIMEOUT: '1500',
    };
    const launch = (hang: boolean) => {
      const child = spawn('node', [join(__dirname, 'fixtures/ledger-consumer.js')], { env: { ...env, HANG: hang ? '1' : '0' } });
      const lines: string[] = [];
      child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
      child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      return { child, lines };
    };
    const publisher = await start(uniqueName('crash-pub'));

    const first = launch(true);
    let second: { child: ChildProcess; lines: string[] } | undefined;
    try {
      await waitFor(() => first.lines.includes('ready'), { message: 'the first consumer' });
      const event = await publisher.bus.publish({ type: 'EFFECT', data: {} });
      await waitFor(() => first.lines.includes(`started ${event.id}`), { message: 'the handler to start' });
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      expect(await redis.hget(effectsKey, event.id)).toBeNull();

      second = launch(false);
      await waitFor(async () => (await redis.hget(effectsKey, event.id)) === '1', {
        timeoutMs: 20_000,
        message: 'the event handled after restart',
      });
      expect(second.lines).toContain(`started ${event.id}`);
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGTERM');
      if (second && second.child.exitCode === null) await new Promise((resolve) => second!.child.once('exit', resolve));
    }
  }, 60_000);
});
