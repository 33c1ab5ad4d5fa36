import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from './dead-letter.interface';

/**
 * Swap point (`EVENT_BUS_DEAD_LETTER_STORE`): where dead letters are read and repaired.
 * RabbitMQ in production (`RabbitMqDeadLetterStore`), the in-memory broker under
 * `EventBusTestingModule`. Every method takes a handler's queue or its `.dlq`.
 */
export interface DeadLetterStore {
  /** Dead letters, oldest first, left in place. */
  list(queue: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  /** Number of dead letters waiting. */
  count(queue: string): Promise<number>;
  /** Sends dead letters back to their queue (history kept, `x-replay-count` + 1). */
  replay(queue: string, options?: ReplayDeadLettersOptions): Promise<ReplayResult>;
  /** Deletes every dead letter of the queue; returns how many. */
  purge(queue: string): Promise<number>;
}
