import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS_DEAD_LETTER_STORE } from '../event-bus.constants';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from './dead-letter.interface';

/**
 * Inspects and repairs dead-letter queues. Every method takes a handler's queue
 * (`auth.USER_CREATED`) or its DLQ (`auth.USER_CREATED.dlq`).
 */
@Injectable()
export class DeadLetterService {
  constructor(@Inject(EVENT_BUS_DEAD_LETTER_STORE) private readonly store: DeadLetterStore) {}

  /** Dead letters, oldest first, left in place (default limit 100). */
  list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    return this.store.list(queue, options);
  }

  /** Number of dead letters waiting. */
  count(queue: string): Promise<number> {
    return this.store.count(queue);
  }

  /**
   * Sends dead letters back to the queue they failed on, oldest first: retry count reset,
   * history kept, `x-replay-count` incremented. Each leaves the DLQ only once its copy is
   * safely back in its queue. Dead letters whose queue no longer exists are skipped.
   */
  replay(queue: string, options: ReplayDeadLettersOptions = {}): Promise<ReplayResult> {
    return this.store.replay(queue, options);
  }

  /** Deletes every dead letter of the queue; returns how many. */
  purge(queue: string): Promise<number> {
    return this.store.purge(queue);
  }
}
