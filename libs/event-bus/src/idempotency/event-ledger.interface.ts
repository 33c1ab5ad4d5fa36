/** What the ledger says about an event before its handler runs. */
export type LeaseOutcome = 'acquired' | 'done' | 'busy';

/** A lease held on one (queue, event) pair. */
export interface Lease {
  readonly key: string;
  readonly token: string;
}

/** The idempotency ledger as the consume chain uses it (Redis in production, memory in tests). */
export interface EventLedger {
  acquire(queue: string, eventId: string): Promise<{ outcome: LeaseOutcome; lease: Lease }>;
  markDone(lease: Lease): Promise<void>;
  release(lease: Lease): Promise<void>;
}
