import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { QueueHealthService, RedisConnectionError, type EventBusOptions, type EventEnvelope } from 'nestjs-event-bus';
import { IdempotencyLedger } from '../libs/event-bus/src/idempotency/idempotency-ledger';
import { keySlot } from '../libs/event-bus/src/redis/key-slot';
import { RedisKeys } from '../libs/event-bus/src/redis/redis-keys';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { DOWN_AFTER_MS, HA_PASSWORD, startRedisCluster, type PrivateRedisCluster } from './support/private-redis-ha';
import { failoverUnderLoad, HandledLog } from './support/redis-failover-load';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * The ledger and the cache on a private Redis Cluster of three masters with one replica each.
 * The shared Redis is never touched.
 */
describe('Redis Cluster', () => {
  const topology = uniqueTopology('cluster');
  const name = uniqueName('cluster');
  const queue = `${name}.FLOW`;
  const cachedQueue = `${name}.PROFILE`;
  const log = new HandledLog();
  let cluster: PrivateRedisCluster;
  let client: Cluster;
  let service: TestService;
  let raw: RawAmqp;

  /** Module options of a service on the test's cluster; the password rides in the node URLs. */
  function clusterOptions(serviceName: string, nodes: string[], connectTimeout = 10_000): EventBusOptions {
    return {
      ...testOptions(serviceName, topology),
      redis: { cluster: { nodes }, keyPrefix: topology.keyPrefix, leaseTimeout: 5_000, connectTimeout },
    };
  }

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    cluster = await startRedisCluster(3);
    client = new Cluster(cluster.nodes, { redisOptions: { password: HA_PASSWORD } });
    service = await startService(
      clusterOptions(
        name,
        cluster.nodes.map((url) => url.replace('redis://', `redis://:${HA_PASSWORD}@`)),
      ),
    );
    await service.bus.subscribe('FLOW', log.handler);
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    client?.disconnect();
    await cluster?.stop();
    await raw.cleanupTopology(topology, [queue, cachedQueue]);
    await raw.close();
  });

  it('computes the slot of a key as the cluster does', async () => {
    for (const key of ['123456789', `${topology.keyPrefix}latest:{FLOW}:k-1`, 'é{}x', 'a{b}c', `${topology.keyPrefix}processed:q:s:1`]) {
      expect(await client.cluster('KEYSLOT', key)).toBe(keySlot(key));
    }
  });

  it('takes and marks leases of events spread over every master in one turn, without CROSSSLOT', async () => {
    const ledger = new IdempotencyLedger(client, new RedisKeys(`${topology.keyPrefix}direct:`, true), {
      leaseMs: 30_000,
      doneTtlSeconds: 60,
    });
    // Random ids: sequential ones share CRC-16 differences, so for some prefixes they fall into far fewer slots.
    const ids = Array.from({ length: 300 }, () => randomUUID());
    const slots = new Set(ids.map((id) => keySlot(`${topology.keyPrefix}direct:processed:q:${id}`)));
    expect(slots.size).toBeGreaterThan(250);
    const ranges = await client.cluster('SLOTS');
    const mastersHit = new Set(
      ranges.filter(([from, to]) => [...slots].some((slot) => slot >= from && slot <= to)).map(([, , master]) => master[1]),
    );
    expect(mastersHit.size).toBe(3);

    const taken = await Promise.all(ids.map((id) => ledger.acquire('q', id)));
    expect(taken.every((t) => t.outcome === 'acquired')).toBe(true);
    await Promise.all(taken.map((t) => ledger.markDone(t.lease)));
    const again = await Promise.all(ids.map((id) => ledger.acquire('q', id)));
    expect(again.every((t) => t.outcome === 'done')).toBe(true);
    expect(await client.get(taken[0].lease.key)).toBe('done');
  });

  it('handles a burst of events once each, and a duplicate publish runs once', async () => {
    const burst = await Promise.all(Array.from({ length: 400 }, (_, n) => service.bus.publish({ type: 'FLOW', data: { n } })));
    await service.bus.publish({ type: 'FLOW', id: burst[0].id, data: { n: 'duplicate' } });
    const marker = await service.bus.publish({ type: 'FLOW', data: { n: 'marker' } });
    await waitFor(() => burst.every((e) => log.runs.has(e.id)) && log.runs.has(marker.id), {
      timeoutMs: 30_000,
      message: 'the burst',
    });
    await waitFor(async () => (await raw.depth(queue)) === 0, { message: 'the duplicate to be consumed' });

    expect(log.duplicates(burst.map((e) => e.id))).toBe(0);
    expect(service.logger.lines.filter((l) => /CROSSSLOT|unreachable/.test(l))).toEqual([]);
  });

  it('caches under hash-tagged keys, serves getLatest and hands useCache subscribers every keyed entry', async () => {
    const events = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.bus.publish({ type: 'PROFILE', key: `u${i}`, data: { i } }, { cache: true })),
    );
    for (const event of events) expect(await service.bus.getLatest('PROFILE', event.metadata.key)).toEqual(event);
    const prefix = topology.keyPrefix;
    expect(await client.exists(`${prefix}latest:{PROFILE}:u0`, `${prefix}latest:{PROFILE}`, `${prefix}latest-index:{PROFILE}`)).toBe(3);
    expect(await client.zcard(`${prefix}latest-index:{PROFILE}`)).toBe(20);

    const received: EventEnvelope[] = [];
    await service.bus.subscribe('PROFILE', (event: EventEnvelope) => void received.push(event), { useCache: true });
    await waitFor(() => new Set(received.map((e) => e.id)).size === 20, { message: 'the 20 cached entries' });
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
  });

  it('follows a master killed under load: no event lost, held messages resume once a replica takes over', async () => {
    const health = service.app.get(QueueHealthService);
    const redisHealth = async () => (await health.snapshot()).redis;
    expect(await redisHealth()).toBe('up');
    const [victim] = await cluster.masters();
    const report = await failoverUnderLoad({
      bus: service.bus,
      type: 'FLOW',
      log,
      quietMs: DOWN_AFTER_MS,
      killMaster: async () => {
        await victim.stop('SIGKILL');
        // The client stays ready on the other masters; health must still say Redis is down.
        await waitFor(async () => (await redisHealth()) === 'down', { timeoutMs: 2_000, message: 'health to report Redis down' });
      },
      waitPromoted: () => cluster.waitHealthy(3, 30_000),
    });
    // Printed for docs/redis-ha.md.
    console.log(`Cluster failover under load: ${JSON.stringify(report)}`);

    expect(report.lost).toBe(0);
    expect(report.heldAcrossFailover).toBeGreaterThan(0);
    // The other masters' slots kept working meanwhile.
    expect(report.handledBeforePromotion).toBeGreaterThan(0);
    expect((await cluster.masters()).map((m) => m.port)).not.toContain(victim.port);
    await waitFor(async () => (await unackedCount(queue)) === 0, { message: 'every held message acked' });
    expect(await raw.depth(`${queue}.dlq`)).toBe(0);
    // Logged once the slot map names the promoted replica (at the latest on the 5 s refresh).
    await waitFor(() => service.logger.lines.some((l) => l.startsWith('LOG Redis cluster masters now')), {
      message: 'the new masters logged',
    });
    expect(service.logger.lines.filter((l) => l.startsWith(`WARN Redis cluster node ${victim.address} unreachable`))).toHaveLength(1);
    // Up again once the slot map names the promoted replica.
    await waitFor(async () => (await redisHealth()) === 'up', { timeoutMs: 15_000, message: 'health to report Redis up' });
  }, 150_000);

  // Last: a service that fails to start installs its own logger as Nest's default, and the
  // tests above read the main service's log lines.
  it('fails the start at once when the nodes refuse the password, naming redis.cluster and never the password', async () => {
    const startedAt = Date.now();
    const nodes = cluster.nodes.map((url) => url.replace('redis://', 'redis://:not-the-password@'));
    const error = await startService(clusterOptions(uniqueName('cluster-bad-pass'), nodes, 30_000)).then(
      async (started) => {
        await started.close();
        return new Error('the service started');
      },
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(RedisConnectionError);
    const e = error as RedisConnectionError;
    expect(e.reason).toBe('refused');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(e.message).toMatch(/Redis at cluster 127\.0\.0\.1:\d+, .* refused the connection: .*WRONGPASS/);
    expect(e.message).toMatch(/Check the user and password in redis\.cluster\./);
    expect(e.message).not.toContain('not-the-password');
  });
});
