import { randomBytes } from 'node:crypto';
import { TurnBatcher } from '../batching/turn-batcher';
import type { RedisClient } from '../redis/redis-client';
import type { RedisKeys } from '../redis/redis-keys';
import { keySlot } from '../redis/key-slot';
import { UnansweredTokens } from './unanswered-tokens';

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
 * whether it holds "done" or already this very token: a call resent after its reply was lost
 * (a connection cut during a failover) finds its own lease and takes it, instead of waiting
 * `leaseTimeout` for a lease nobody holds.
 */
const LEDGER_SCRIPT = `
local outcomes = {}
for i, key in ipairs(KEYS) do
  local token = ARGV[i + 2]
  if token == '${MARK_DONE}' then
    redis.call('SET', key, '${DONE}', 'EX', ARGV[2])
    outcomes[i] = 3
  elseif redis.call('SET', key, token, 'NX', 'PX', ARGV[1]) then outcomes[i] = 1
  else
    local current = redis.call('GET', key)
    if current == '${DONE}' then outcomes[i] = 2
    elseif current == token then outcomes[i] = 1
    else outcomes[i] = 0 end
  end
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
 * lease, finished ones marking theirs done) share one script call. On Redis Cluster a script
 * may only touch keys of one slot, so there the steps of each slot are batched apart.
 */
export class IdempotencyLedger implements EventLedger {
  private readonly commands: LedgerCommands;
  private readonly tokenPrefix = `lease:${randomBytes(6).toString('hex')}:`;
  private counter = 0;
  private readonly steps: TurnBatcher<LedgerStep, LeaseOutcome | 'marked'>;
  /** Cluster only: one batcher per slot, created on first use. */
  private readonly stepsBySlot = new Map<number, TurnBatcher<LedgerStep, LeaseOutcome | 'marked'>>();

  private readonly cluster: boolean;
  private readonly unansweredTokens = new UnansweredTokens();

  constructor(
    redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly limits: { leaseMs: number; doneTtlSeconds: number },
  ) {
    redis.defineCommand('eventBusLedgerBatch', { lua: LEDGER_SCRIPT });
    redis.defineCommand('eventBusLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.commands = redis as unknown as LedgerCommands;
    this.cluster = redis.isCluster;
    this.steps = new TurnBatcher((steps) => this.runScript(steps), MAX_BATCH);
  }

  /** Tries to take the processing lease of an event in a queue. */
  async acquire(queue: string, eventKey: string): Promise<{ outcome: LeaseOutcome; lease: Lease }> {
    const key = this.keys.processed(queue, eventKey);
    const lease = { key, token: this.unansweredTokens.take(key) ?? `${this.tokenPrefix}${++this.counter}` };
    let outcome: LeaseOutcome | 'marked';
    try {
      outcome = await this.batcherFor(key).call({ lease, markDone: false });
    } catch (error) {
      // The lease may have been taken with no answer coming back: the next try asks with the same token.
      this.unansweredTokens.keep(key, lease.token);
      throw error;
    }
    if (outcome === 'marked') throw new Error('ledger script marked a key it was asked to lease');
    return { outcome, lease };
  }

  /** Records success: later deliveries of the event are acked without running the handler. */
  async markDone(lease: Lease): Promise<void> {
    const outcome = await this.batcherFor(lease.key).call({ lease, markDone: true });
    if (outcome !== 'marked') throw new Error(`ledger script answered ${outcome} to marking a key done`);
  }

  /** Gives the lease back after a failure, so the retry can take it. */
  async release(lease: Lease): Promise<void> {
    await this.commands.eventBusLeaseRelease(lease.key, lease.token);
  }

  /**
   * The batcher of a key. On a cluster a script may touch one slot only, so each slot has its
   * own batcher: the steps of one slot share a call, and while one master is down (a failover)
   * only the events whose keys it holds wait; the others go on.
   */
  private batcherFor(key: string): TurnBatcher<LedgerStep, LeaseOutcome | 'marked'> {
    if (!this.cluster) return this.steps;
    const slot = keySlot(key);
    let batcher = this.stepsBySlot.get(slot);
    if (!batcher) {
      batcher = new TurnBatcher((steps) => this.runScript(steps), MAX_BATCH);
      this.stepsBySlot.set(slot, batcher);
    }
    return batcher;
  }

  /** One script call for steps whose keys share a slot (any steps on a single server). */
  private async runScript(steps: LedgerStep[]): Promise<Array<LeaseOutcome | 'marked'>> {
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
