/**
 * Thrown by `DeadLetterService.find()`'s callers and `replayEdited()` when no dead letter with the
 * event id is in the dead-letter queue (any more): it was replayed or purged meanwhile, or the id
 * is wrong. Nothing was changed.
 */
export class DeadLetterNotFoundError extends Error {
  constructor(
    /** The dead-letter queue that was searched. */
    readonly deadLetterQueue: string,
    /** The event id asked for. */
    readonly eventId: string,
  ) {
    super(`No dead letter ${eventId} in ${deadLetterQueue}: it was replayed or purged already, or the id is wrong`);
    this.name = 'DeadLetterNotFoundError';
  }
}
