import { Redis } from 'ioredis';
import { IdempotencyLedger } from '../libs/event-bus/src/idempotency/idempotency-ledger';
import { RedisKeys } from '../libs/event-bus/src/redis/redis-keys';
import { REDIS_URL, deleteKeys, uniqueTopology } from './support/test-names';

/** The ledger against the real Redis: outcomes per event and how calls are grouped. */
describe('idempotency ledger batching (real Redis)', () => {
  const { keyPrefix } = uniqueTopology('ledger-batch');
  const keys = new RedisKeys(keyPrefix);
  const limits = { leaseMs: 30_000, doneTtlSeconds: 120 };
  let redis: Redis;
  let observer: Redis;
  let scriptCalls: string[];

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    observer = new Redis(REDIS_URL);
  });

  beforeEach(() => {
    scriptCalls = [];
    const send = redis.sendCommand.bind(redis);
    jest.spyOn(redis, 'sendCommand').mockImplementation((command) => {
      scriptCalls.push(command.name);
      return send(command);
    });
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await deleteKeys(observer, keyPrefix);
    await Promise.all([redis.quit(), observer.quit()]);
  });

  it('answers acquired, done and busy for each event of one batch, in a single script call', async () => {
    const ledger = new IdempotencyLedger(redis, keys, limits);
    await observer.set(keys.processed('q1', 'handled'), 'done', 'EX', 60);
    await observer.set(keys.processed('q1', 'held'), 'lease:someone-else:1', 'PX', 60_000);
    scriptCalls = [];

    const [fresh, handled, held, otherQueue] = await Promise.all([
      ledger.acquire('q1', 'fresh'),
      ledger.acquire('q1', 'handled'),
      ledger.acquire('q1', 'held'),
      ledger.acquire('q2', 'handled'),
    ]);

    expect([fresh.outcome, handled.outcome, held.outcome, otherQueue.outcome]).toEqual(['acquired', 'done', 'busy', 'acquired']);
    expect(scriptCalls.filter((name) => name === 'evalsha' || name === 'eval')).toHaveLength(1);
    expect(await observer.get(fresh.lease.key)).toBe(fresh.lease.token);
    const leaseTtl = await observer.pttl(fresh.lease.key);
    expect(leaseTtl).toBeGreaterThan(25_000);
    expect(leaseTtl).toBeLessThanOrEqual(30_000);
    expect(await observer.get(keys.processed('q1', 'held'))).toBe('lease:someone-else:1');
  });

  it('marks a batch done with the done TTL in one call, and a later acquire sees done', async () => {
    const ledger = new IdempotencyLedger(redis, keys, limits);
    const taken = await Promise.all(['a', 'b', 'c'].map((id) => ledger.acquire('q3', id)));
    scriptCalls = [];

    await Promise.all(taken.map(({ lease }) => ledger.markDone(lease)));

    expect(scriptCalls).toHaveLength(1);
    for (const { lease } of taken) {
      expect(await observer.get(lease.key)).toBe('done');
      const ttl = await observer.ttl(lease.key);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    expect((await ledger.acquire('q3', 'b')).outcome).toBe('done');
  });

  it('takes new leases and marks finished events done in the same call', async () => {
    const ledger = new IdempotencyLedger(redis, keys, limits);
    const finished = await ledger.acquire('q7', 'finished');
    scriptCalls = [];

    const [, fresh] = await Promise.all([ledger.markDone(finished.lease), ledger.acquire('q7', 'fresh')]);

    expect(scriptCalls).toHaveLength(1);
    expect(fresh.outcome).toBe('acquired');
    expect(await observer.get(finished.lease.key)).toBe('done');
    expect(await observer.get(fresh.lease.key)).toBe(fresh.lease.token);
  });

  it('splits a turn with more calls than one batch holds, and answers each correctly', async () => {
    const ledger = new IdempotencyLedger(redis, keys, limits);
    const ids = Array.from({ length: 1_200 }, (_, i) => `many-${i}`);
    await observer.set(keys.processed('q4', 'many-700'), 'done', 'EX', 60);
    scriptCalls = [];

    const results = await Promise.all(ids.map((id) => ledger.acquire('q4', id)));

    expect(scriptCalls.length).toBe(3);
    expect(results.filter((r) => r.outcome === 'acquired')).toHaveLength(1_199);
    expect(results[700]?.outcome).toBe('done');
  });

  it('releases only its own lease', async () => {
    const ledger = new IdempotencyLedger(redis, keys, limits);
    const mine = await ledger.acquire('q5', 'mine');
    await ledger.release(mine.lease);
    expect(await observer.exists(mine.lease.key)).toBe(0);

    const again = await ledger.acquire('q5', 'theirs');
    await observer.set(again.lease.key, 'lease:another-consumer:9', 'PX', 60_000);
    await ledger.release(again.lease);
    expect(await observer.get(again.lease.key)).toBe('lease:another-consumer:9');
  });

  it('fails every call of a batch when Redis cannot take it, and writes nothing', async () => {
    // Nothing listens on port 1: every command fails, as the bus's client does during an outage.
    const offline = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    offline.on('error', () => undefined);
    const ledger = new IdempotencyLedger(offline, keys, limits);

    const results = await Promise.allSettled([ledger.acquire('q6', 'x'), ledger.acquire('q6', 'y')]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await observer.exists(keys.processed('q6', 'x'), keys.processed('q6', 'y'))).toBe(0);
    offline.disconnect();
  });
});
