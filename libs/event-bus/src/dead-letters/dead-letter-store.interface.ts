import type {
  DeadLetter,
  ListDeadLettersOptions,
  ReplayDeadLettersOptions,
  ReplayEditedOptions,
  ReplayResult,
} from './dead-letter.interface';

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
  /**
   * The oldest dead letter with the event id, left in place; `undefined` when there is none.
   * Optional so stores written before it keep compiling; `DeadLetterService.find()` says when missing.
   */
  find?(queue: string, eventId: string): Promise<DeadLetter | undefined>;
  /**
   * Sends the oldest dead letter with the event id back to its queue with `body` instead of its
   * own, once `editedBodyProblems()` found nothing wrong; otherwise it stays where it is.
   * Optional like `find`.
   *
   * @throws DeadLetterNotFoundError when no such dead letter is there
   * @throws EditedBodyRejectedError naming what to fix in the body
   */
  replayEdited?(queue: string, eventId: string, body: string, options?: ReplayEditedOptions): Promise<ReplayResult>;
}
