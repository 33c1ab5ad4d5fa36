import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { RedisKeys } from '../redis/redis-keys';
import { TurnBatcher } from '../redis/turn-batcher';

import type { EventLedger, Lease, LeaseOutcome } from './event-ledger.interface';

/** Value of a ledger entry once the handler succeeded. */
const DONE = 'done';

/** How the acquire script reports each key. */
const OUTCOME_CODES: Record<number, LeaseOutcome> = { 0: 'busy', 1: 'acquired', 2: 'done' };

/**
 * Takes the leases of a batch of events, or tells for each why not, in one call.
 * KEYS: ledger keys; ARGV[1]: lease ms; ARGV[1 + i]: the token of KEYS[i].
 * SET NX first (the common case), and only when the key exists, whether it holds "done".
 */
const ACQUIRE_SCRIPT = `
local outcomes = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[i + 1], 'NX', 'PX', ARGV[1]) then outcomes[i] = 1
  elseif redis.call('GET', key) == '${DONE}' then outcomes[i] = 2
  else outcomes[i] = 0 end
end
return outcomes`;

/** Marks a batch of events done. KEYS: ledger keys; ARGV[1]: TTL in seconds. */
const MARK_DONE_SCRIPT = `
for _, key in ipairs(KEYS) do redis.call('SET', key, '${DONE}', 'EX', ARGV[1]) end
return #KEYS`;

/** Releases the lease only if it is still ours (it may have expired and been taken since). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface LedgerCommands {
  eventBusLeaseAcquireMany(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[]>;
  eventBusMarkDoneMany(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number>;
  eventBusLeaseRelease(key: string, token: string): Promise<number>;
}

/** Most events one script call handles (a batch this large leaves without waiting for the turn to end). */
const MAX_BATCH = 500;

/**
 * The idempotency ledger of SPEC §6.1: key `<prefix>processed:<queue>:<eventId>` holds a
 * processing lease (SET NX PX) while a handler runs and `done` (TTL `eventTTL`) after it
 * succeeded. A processed message needs two steps, acquire and mark done; the steps of all
 * deliveries that reach the ledger in the same event-loop turn share one script call each.
 */
export class IdempotencyLedger implements EventLedger {
  private readonly commands: LedgerCommands;
  private readonly tokenPrefix = `lease:${randomBytes(6).toString('hex')}:`;
  private counter = 0;
  private readonly acquires: TurnBatcher<Lease, LeaseOutcome>;
  private readonly dones: TurnBatcher<Lease, void>;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: { leaseMs: number; doneTtlSeconds: number },
  ) {
    redis.defineCommand('eventBusLeaseAcquireMany', { lua: ACQUIRE_SCRIPT });
    redis.defineCommand('eventBusMarkDoneMany', { lua: MARK_DONE_SCRIPT });
    redis.defineCommand('eventBusLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.commands = redis as unknown as LedgerCommands;
    this.acquires = new TurnBatcher((leases) => this.acquireMany(leases), MAX_BATCH);
    this.dones = new TurnBatcher((leases) => this.markDoneMany(leases), MAX_BATCH);
  }

  /** Tries to take the processing lease of an event in a queue. */
  async acquire(queue: string, eventId: string): Promise<{ outcome: LeaseOutcome; lease: Lease }> {
    const lease = { key: this.keys.processed(queue, eventId), token: `${this.tokenPrefix}${++this.counter}` };
    return { outcome: await this.acquires.call(lease), lease };
  }

  /** Records success: later deliveries of the event are acked without running the handler. */
  markDone(lease: Lease): Promise<void> {
    return this.dones.call(lease);
  }

  /** Gives the lease back after a failure, so the retry can take it. */
  async release(lease: Lease): Promise<void> {
    await this.commands.eventBusLeaseRelease(lease.key, lease.token);
  }

  private async acquireMany(leases: Lease[]): Promise<LeaseOutcome[]> {
    const codes = await this.commands.eventBusLeaseAcquireMany(
      leases.length,
      ...leases.map((l) => l.key),
      this.limits.leaseMs,
      ...leases.map((l) => l.token),
    );
    return codes.map((code) => {
      const outcome = OUTCOME_CODES[code];
      if (!outcome) throw new Error(`ledger acquire script answered ${String(code)}`);
      return outcome;
    });
  }

  private async markDoneMany(leases: Lease[]): Promise<void[]> {
    await this.commands.eventBusMarkDoneMany(leases.length, ...leases.map((l) => l.key), this.limits.doneTtlSeconds);
    return leases.map(() => undefined);
  }
}
