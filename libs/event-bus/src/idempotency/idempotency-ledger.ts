import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { RedisKeys } from '../redis/redis-keys';

import type { EventLedger, Lease, LeaseOutcome } from './event-ledger.interface';

/** Value of a ledger entry once the handler succeeded. */
const DONE = 'done';

/**
 * Takes the lease, or tells why not, in one round trip: SET NX first (the common case),
 * and only when the key exists, which of "done" and "someone else's lease" it holds.
 */
const ACQUIRE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'acquired' end
if redis.call('GET', KEYS[1]) == '${DONE}' then return 'done' end
return 'busy'`;

/** Releases the lease only if it is still ours (it may have expired and been taken since). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface LedgerCommands {
  eventBusLeaseAcquire(key: string, token: string, leaseMs: number): Promise<LeaseOutcome>;
  eventBusLeaseRelease(key: string, token: string): Promise<number>;
}

/**
 * The idempotency ledger of SPEC §6.1: key `<prefix>processed:<queue>:<eventId>` holds a
 * processing lease (SET NX PX) while a handler runs and `done` (TTL `eventTTL`) after it
 * succeeded. A processed message costs two round trips: acquire and mark done.
 */
export class IdempotencyLedger implements EventLedger {
  private readonly commands: LedgerCommands;
  private readonly redis: Redis;
  private readonly tokenPrefix = `lease:${randomBytes(6).toString('hex')}:`;
  private counter = 0;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: { leaseMs: number; doneTtlSeconds: number },
  ) {
    redis.defineCommand('eventBusLeaseAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
    redis.defineCommand('eventBusLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.commands = redis as unknown as LedgerCommands;
    this.redis = redis;
  }

  /** Tries to take the processing lease of an event in a queue. */
  async acquire(queue: string, eventId: string): Promise<{ outcome: LeaseOutcome; lease: Lease }> {
    const lease = { key: this.keys.processed(queue, eventId), token: `${this.tokenPrefix}${++this.counter}` };
    const outcome = await this.commands.eventBusLeaseAcquire(lease.key, lease.token, this.limits.leaseMs);
    return { outcome, lease };
  }

  /** Records success: later deliveries of the event are acked without running the handler. */
  async markDone(lease: Lease): Promise<void> {
    await this.redis.set(lease.key, DONE, 'EX', this.limits.doneTtlSeconds);
  }

  /** Gives the lease back after a failure, so the retry can take it. */
  async release(lease: Lease): Promise<void> {
    await this.commands.eventBusLeaseRelease(lease.key, lease.token);
  }
}
