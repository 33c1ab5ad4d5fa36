import { Redis } from 'ioredis';
import { IdempotencyLedger } from '../libs/event-bus/src/idempotency/idempotency-ledger';
import { RedisKeys } from '../libs/event-bus/src/redis/redis-keys';
import { REDIS_URL, deleteKeys, uniqueTopology } from './support/test-names';

type BatchCall = (...args: Array<string | number>) => Promise<number[]>;

/**
 * A ledger call whose write landed but whose reply was lost (the connection dropped, as in a
 * failover): the retry must find its own lease instead of waiting `leaseTimeout` for it.
 */
describe('idempotency ledger: lease taken but the reply lost (real Redis)', () => {
  const { keyPrefix } = uniqueTopology('ledger-lost-reply');
  const keys = new RedisKeys(keyPrefix);
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  /** Makes the next ledger script call run on the server, then fail as if its reply was lost. */
  function loseNextReply(): void {
    const client = redis as unknown as { eventBusLedgerBatch: BatchCall };
    const real = client.eventBusLedgerBatch.bind(client);
    jest.spyOn(client, 'eventBusLedgerBatch').mockImplementationOnce(async (...args) => {
      await real(...args);
      throw new Error('Connection is closed.');
    });
  }

  it('takes the lease on the retry, with the token the lost call wrote', async () => {
    const ledger = new IdempotencyLedger(redis, keys, { leaseMs: 60_000, doneTtlSeconds: 60 });
    loseNextReply();
    await expect(ledger.acquire('q', 'src:lost')).rejects.toThrow('Connection is closed.');
    const written = await redis.get(keys.processed('q', 'src:lost'));
    expect(written).toMatch(/^lease:/);

    const retry = await ledger.acquire('q', 'src:lost');
    expect(retry.outcome).toBe('acquired');
    expect(retry.lease.token).toBe(written);
  });

  it('still tells another copy of the event that the lease is busy', async () => {
    const ledger = new IdempotencyLedger(redis, keys, { leaseMs: 60_000, doneTtlSeconds: 60 });
    loseNextReply();
    await expect(ledger.acquire('q', 'src:twice')).rejects.toThrow('Connection is closed.');

    const [first, second] = await Promise.all([ledger.acquire('q', 'src:twice'), ledger.acquire('q', 'src:twice')]);
    expect([first.outcome, second.outcome].sort()).toEqual(['acquired', 'busy']);
  });
});
