/** What the ledger says about an event before its handler runs. */
export type LeaseOutcome = 'acquired' | 'done' | 'busy';

/** A lease held on one (queue, event) pair. */
export interface Lease {
  readonly key: string;
  readonly token: string;
}

/** The idempotency ledger as the consume chain uses it (Redis in production, memory in tests). */
export interface EventLedger {
  /** Takes the processing lease of an event (`eventKey`: its source and id, see `ledgerEventKey`) in a queue. */
  acquire(queue: string, eventKey: string): Promise<{ outcome: LeaseOutcome; lease: Lease }>;
  markDone(lease: Lease): Promise<void>;
  release(lease: Lease): Promise<void>;
}
