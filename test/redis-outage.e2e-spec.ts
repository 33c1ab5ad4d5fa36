import type { EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** Redis outage on a private redis-server: the shared one is never touched. */
describe('Redis unreachable', () => {
  const topology = uniqueTopology('redis-down');
  const name = uniqueName('held');
  const queue = `${name}.FLOW`;
  let redis: PrivateRedis;
  let service: TestService;
  let raw: RawAmqp;
  const handled = new Map<string, number>();

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    redis = await startPrivateRedis();
    service = await startService(testOptions(name, topology, { redis: { url: redis.url, keyPrefix: topology.keyPrefix } }));
    await service.bus.subscribe('FLOW', (event: EventEnvelope) => {
      handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
    });
  });

  afterAll(async () => {
    await service?.close();
    await redis?.stop();
    await raw.cleanup({
      queues: [queue, `${queue}.dlq`, `${queue}.retry.50`],
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
    await raw.close();
  });

  it('holds messages without running handlers while Redis is down, then handles each exactly once', async () => {
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => service.bus.publish({ type: 'FLOW', data: { i } })));
    await waitFor(() => before.every((e) => handled.get(e.id) === 1), { message: 'events before the outage' });

    await redis.kill();
    const during = await Promise.all(Array.from({ length: 60 }, (_, i) => service.bus.publish({ type: 'FLOW', data: { i } })));
    // All 60 are delivered to the consumer (default prefetch 200) and held there, unacked.
    await waitFor(async () => (await raw.depth(queue)) === 0 && (await unackedCount(queue)) === 60, {
      timeoutMs: 30_000,
      message: 'the consumer to hold all 60 messages unacked',
    });
    expect(during.filter((e) => handled.has(e.id))).toEqual([]);

    await redis.restart();
    await waitFor(() => during.every((e) => handled.get(e.id) === 1), { timeoutMs: 30_000, message: 'every held event handled' });
    await waitFor(async () => (await unackedCount(queue)) === 0, { message: 'every held message acked' });
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    expect(handled.size).toBe(80);
  }, 90_000);
});
