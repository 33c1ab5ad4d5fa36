/**
 * Thrown by `DeadLetterService.replayEdited()` when the edited body could not be delivered as it
 * is: not JSON, not an event the queue's consumer could decode, another event type, or data its
 * DTO refuses. The dead letter stays in its queue, unchanged.
 */
export class EditedBodyRejectedError extends Error {
  constructor(
    /** The dead-letter queue the dead letter stays in. */
    readonly deadLetterQueue: string,
    /** Event id of the dead letter. */
    readonly eventId: string,
    /** What to fix, one entry per problem (class-validator messages for a DTO). */
    readonly problems: readonly string[],
  ) {
    super(`Edited body of dead letter ${eventId} refused (it stays in ${deadLetterQueue}): ${problems.join('; ')}`);
    this.name = 'EditedBodyRejectedError';
  }
}
