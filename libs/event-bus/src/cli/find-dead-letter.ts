import type { DeadLetterService } from '../dead-letters/dead-letter.service';
import type { DeadLetter } from '../dead-letters/dead-letter.interface';

/** How many dead letters `show` looks through by default. */
export const SHOW_SCAN_DEFAULT = 1000;

/** Result of {@link findDeadLetter}. */
export interface FoundDeadLetter {
  /** The dead letter with the id, if it was among those looked through. */
  letter?: DeadLetter;
  /** Whether the scan stopped at its limit, so the id may still be further back. */
  truncated: boolean;
}

/**
 * Looks a dead letter up by event id. `DeadLetterService` has no lookup by id, so this pages the
 * head of the DLQ with `list`: it reads up to `limit` dead letters, oldest first, and leaves
 * them all in place. An id further back than `limit` is not found (`truncated` then says so).
 */
export async function findDeadLetter(
  deadLetters: Pick<DeadLetterService, 'list'>,
  queue: string,
  eventId: string,
  limit = SHOW_SCAN_DEFAULT,
): Promise<FoundDeadLetter> {
  const letters = await deadLetters.list(queue, { limit });
  return { letter: letters.find((d) => d.eventId === eventId), truncated: letters.length >= limit };
}
