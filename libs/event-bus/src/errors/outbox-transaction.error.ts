/** Why `Outbox.add` refused a transaction. */
export type OutboxTransactionProblem = 'unsupported' | 'closed' | 'other-database' | 'no-schema' | 'failed';

/**
 * `Outbox.add(tx, event)` could not write the event into `tx`: nothing was written. The message
 * says what to fix (open the transaction first, use a connection to the outbox's database,
 * run the migration, ...); a driver error, if any, is the `cause`.
 */
export class OutboxTransactionError extends Error {
  constructor(
    readonly problem: OutboxTransactionProblem,
    /** Event type that was being added. */
    readonly eventType: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Event ${JSON.stringify(eventType)} was not added to the outbox: ${detail}`, options);
    this.name = 'OutboxTransactionError';
  }
}
