import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { RedisKeys } from '../redis/redis-keys';
import { TurnBatcher } from '../batching/turn-batcher';

import type { EventLedger, Lease, LeaseOutcome } from './event-ledger.interface';

/** Value of a ledger entry once the handler succeeded. */
const DONE = 'done';

/** Token sent in place of a lease token to mark a key done (lease tokens are never empty). */
const MARK_DONE = '';

/** How the ledger script reports each key. */
const OUTCOME_CODES: Record<number, LeaseOutcome | 'marked'> = { 0: 'busy', 1: 'acquired', 2: 'done', 3: 'marked' };

/**
 * Takes leases and marks events done, a batch at a time, in one call.
 * KEYS: ledger keys; ARGV[1]: lease ms; ARGV[2]: done TTL in seconds; ARGV[2 + i]: for KEYS[i],
 * the token of the lease to take, or '' to mark it done.
 * Taking a lease is SET NX first (the common case), and only when the key exists, a look at
 * whether it holds "done".
 */
const LEDGER_SCRIPT = `
local outcomes = {}
for i, key in ipairs(KEYS) do
  local token = ARGV[i + 2]
  if token == '${MARK_DONE}' then
    redis.call('SET', key, '${DONE}', 'EX', ARGV[2])
    outcomes[i] = 3
  elseif redis.call('SET', key, token, 'NX', 'PX', ARGV[1]) then outcomes[i] = 1
  elseif redis.call('GET', key) == '${DONE}' then outcomes[i] = 2
  else outcomes[i] = 0 end
end
return outcomes`;

/** Releases the lease only if it is still ours (it may have expired and been taken since). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface LedgerCommands {
  eventBusLedgerBatch(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[]>;
  eventBusLeaseRelease(key: string, token: string): Promise<number>;
}

/** One step of the ledger waiting for its batch. */
interface LedgerStep {
  readonly lease: Lease;
  readonly markDone: boolean;
}

/** Most events one script call handles (a batch this large leaves without waiting for the turn to end). */
const MAX_BATCH = 500;

/**
 * The idempotency ledger of docs/semantics.md §7: key `<prefix>processed:<queue>:<source>:<id>` holds a
 * processing lease (SET NX PX) while a handler runs and `done` (TTL `eventTTL`) after it
 * succeeded. A processed message needs two steps, acquire and mark done; the steps of all
 * deliveries that reach the ledger in the same event-loop turn (new deliveries taking their
 * lease, finished ones marking theirs done) share one script call.
 */
export class IdempotencyLedger implements EventLedger {
  private readonly commands: LedgerCommands;
  private readonly tokenPrefix = `lease:${randomBytes(6).toString('hex')}:`;
  private counter = 0;
  private readonly steps: TurnBatcher<LedgerStep, LeaseOutcome | 'marked'>;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: { leaseMs: number; doneTtlSeconds: number },
  ) {
    redis.defineCommand('eventBusLedgerBatch', { lua: LEDGER_SCRIPT });
    redis.defineCommand('eventBusLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.commands = redis as unknown as LedgerCommands;
    this.steps = new TurnBatcher((steps) => this.runSteps(steps), MAX_BATCH);
  }

  /** Tries to take the processing lease of an event in a queue. */
  async acquire(queue: string, eventKey: string): Promise<{ outcome: LeaseOutcome; lease: Lease }> {
    const lease = { key: this.keys.processed(queue, eventKey), token: `${this.tokenPrefix}${++this.counter}` };
    const outcome = await this.steps.call({ lease, markDone: false });
    if (outcome === 'marked') throw new Error('ledger script marked a key it was asked to lease');
    return { outcome, lease };
  }

  /** Records success: later deliveries of the event are acked without running the handler. */
  async markDone(lease: Lease): Promise<void> {
    const outcome = await this.steps.call({ lease, markDone: true });
    if (outcome !== 'marked') throw new Error(`ledger script answered ${outcome} to marking a key done`);
  }

  /** Gives the lease back after a failure, so the retry can take it. */
  async release(lease: Lease): Promise<void> {
    await this.commands.eventBusLeaseRelease(lease.key, lease.token);
  }

  private async runSteps(steps: LedgerStep[]): Promise<Array<LeaseOutcome | 'marked'>> {
    const codes = await this.commands.eventBusLedgerBatch(
      steps.length,
      ...steps.map((step) => step.lease.key),
      this.limits.leaseMs,
      this.limits.doneTtlSeconds,
      ...steps.map((step) => (step.markDone ? MARK_DONE : step.lease.token)),
    );
    return codes.map((code) => {
      const outcome = OUTCOME_CODES[code];
      if (!outcome) throw new Error(`ledger script answered ${String(code)}`);
      return outcome;
    });
  }
}
