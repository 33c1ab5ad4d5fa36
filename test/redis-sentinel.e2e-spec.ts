import { RedisConnectionError, type EventBusOptions, type EventBusRedisSentinelOptions } from 'nestjs-event-bus';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { DOWN_AFTER_MS, HA_PASSWORD, startSentinelGroup, type PrivateSentinelGroup } from './support/private-redis-ha';
import { failoverUnderLoad, HandledLog } from './support/redis-failover-load';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * The ledger and the cache behind Redis Sentinel: a private master, its replica and three
 * sentinels (quorum 2). The shared Redis is never touched.
 */
describe('Redis Sentinel', () => {
  const topology = uniqueTopology('sentinel');
  const name = uniqueName('sentinel');
  const queue = `${name}.FLOW`;
  const log = new HandledLog();
  let group: PrivateSentinelGroup;
  let service: TestService;
  let raw: RawAmqp;

  /** Module options of a service behind the test's sentinels. */
  function sentinelOptions(
    serviceName: string,
    sentinel: Partial<EventBusRedisSentinelOptions> = {},
    connectTimeout = 10_000,
  ): EventBusOptions {
    return {
      ...testOptions(serviceName, topology),
      redis: {
        sentinel: { sentinels: group.sentinels, name: group.name, password: HA_PASSWORD, ...sentinel },
        keyPrefix: topology.keyPrefix,
        leaseTimeout: 5_000,
        connectTimeout,
      },
    };
  }

  /** The error a start fails with (the test fails if it starts). */
  async function startFailure(options: EventBusOptions): Promise<RedisConnectionError> {
    const error = await startService(options).then(
      async (started) => {
        await started.close();
        return new Error('the service started');
      },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(RedisConnectionError);
    return error as RedisConnectionError;
  }

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    group = await startSentinelGroup(3);
    service = await startService(sentinelOptions(name));
    await service.bus.subscribe('FLOW', log.handler);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await group?.stop();
    await raw.cleanupTopology(topology, [queue]);
    await raw.close();
  });

  it('runs a duplicate of an event once, and keeps the ledger under the documented key name', async () => {
    const first = await service.bus.publish({ type: 'FLOW', data: { n: 'first' } });
    await service.bus.publish({ type: 'FLOW', id: first.id, data: { n: 'duplicate' } });
    const marker = await service.bus.publish({ type: 'FLOW', data: { n: 'marker' } });
    await waitFor(() => log.runs.has(marker.id) && log.runs.has(first.id), { message: 'the first copy and the marker' });
    await waitFor(async () => (await raw.depth(queue)) === 0, { message: 'the duplicate to be consumed' });

    expect(log.runs.get(first.id)).toBe(1);
    const master = await group.master();
    const source = encodeURIComponent(first.metadata.source);
    expect((await master.cli('get', `${topology.keyPrefix}processed:${queue}:${source}:${first.id}`)).trim()).toBe('done');
  });

  it('caches the latest event per type and key under the single-server key names', async () => {
    const event = await service.bus.publish({ type: 'PROFILE', key: 'u1', data: { name: 'Ada' } }, { cache: true });

    expect(await service.bus.getLatest('PROFILE', 'u1')).toEqual(event);
    expect(await service.bus.getLatest('PROFILE')).toEqual(event);
    const master = await group.master();
    expect(await master.cli('exists', `${topology.keyPrefix}latest:PROFILE:u1`)).toMatch(/^1/);
    expect(await master.cli('exists', `${topology.keyPrefix}latest-index:PROFILE`)).toMatch(/^1/);
  });

  it('follows a failover under load: no event lost, held messages resume on the promoted replica', async () => {
    const oldMaster = await group.master();
    const report = await failoverUnderLoad({
      bus: service.bus,
      type: 'FLOW',
      log,
      quietMs: DOWN_AFTER_MS,
      killMaster: () => oldMaster.stop('SIGKILL'),
      waitPromoted: () =>
        waitFor(async () => (await group.master().catch(() => oldMaster)) !== oldMaster, {
          timeoutMs: 30_000,
          intervalMs: 50,
          message: 'the sentinels to promote the replica',
        }),
    });
    // Printed for docs/redis-ha.md.
    console.log(`Sentinel failover under load: ${JSON.stringify(report)}`);

    expect(report.lost).toBe(0);
    expect(report.heldAcrossFailover).toBeGreaterThan(0);
    // Nothing ran blind while no master answered.
    expect(report.handledBeforePromotion).toBe(0);
    const newMaster = await group.master();
    expect(newMaster.port).not.toBe(oldMaster.port);
    // Logged once down and once back, naming the new master.
    const redisLines = service.logger.lines.filter((l) => l.includes(`Redis sentinel master "${group.name}"`));
    expect(redisLines.filter((l) => l.startsWith('WARN') && l.includes('unreachable'))).toHaveLength(1);
    expect(redisLines.filter((l) => l.startsWith('LOG') && l.includes(`is back (master at 127.0.0.1:${newMaster.port})`))).toHaveLength(1);
    await waitFor(async () => (await unackedCount(queue)) === 0, { message: 'every held message acked' });
    expect(await raw.depth(`${queue}.dlq`)).toBe(0);
    // The promoted master carries the ledger on: a new duplicate still runs once.
    const after = await service.bus.publish({ type: 'FLOW', data: { n: 'after' } });
    await service.bus.publish({ type: 'FLOW', id: after.id, data: { n: 'after again' } });
    const marker = await service.bus.publish({ type: 'FLOW', data: { n: 'marker 2' } });
    await waitFor(() => log.runs.has(marker.id), { message: 'the marker after the failover' });
    await waitFor(async () => (await raw.depth(queue)) === 0, { message: 'the duplicate after the failover to be consumed' });
    expect(log.runs.get(after.id)).toBe(1);
  }, 150_000);

  // Last: a service that fails to start installs its own logger as Nest's default, and the
  // tests above read the main service's log lines.
  it('fails the start at once when the servers refuse the password, naming redis.sentinel and never the password', async () => {
    const startedAt = Date.now();
    const error = await startFailure(sentinelOptions(uniqueName('sentinel-bad-pass'), { password: 'not-the-password' }, 30_000));

    expect(error.reason).toBe('refused');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(error.message).toMatch(
      /Redis at sentinel master "evbus-master" \(sentinels 127\.0\.0\.1:\d+, .*\) refused the connection: WRONGPASS/,
    );
    expect(error.message).toMatch(/Check the user and password in redis\.sentinel\./);
    expect(error.message).not.toContain('not-the-password');
  });

  it('gives up after connectTimeout when the sentinels know no master of that name, and says so', async () => {
    const error = await startFailure(sentinelOptions(uniqueName('sentinel-bad-name'), { name: 'no-such-master' }, 1_500));

    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/within 1500 ms: .*No such master with that name.*Check redis\.sentinel and that Redis is running/);
  });
});
