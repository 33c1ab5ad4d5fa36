import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import type { RetryHistoryEntry } from '../wire/failure-headers';

/** A dead letter as `DeadLetterService.list()` shows it. */
export interface DeadLetter {
  /** Event id (AMQP `messageId`), or `'(none)'` for a message without one. */
  eventId: string;
  /** Event type (AMQP `type` or original routing key). */
  type: string;
  /** Why it failed (`x-error`, or the broker's reason for messages it dead-lettered itself). */
  error: string;
  /** Class of the error (`x-error-name`). */
  errorName: string;
  /** Attempts made before it was dead-lettered. */
  attempts: number;
  /** When it was dead-lettered (ISO-8601), if known. */
  failedAt?: string;
  correlationId?: string;
  /** Queue it failed on; `replay` sends it back there. */
  originalQueue: string;
  /** Times it was replayed already. */
  replayCount: number;
  /** Failed attempts, oldest first. */
  history: RetryHistoryEntry[];
  /** Original body, as text. */
  body: string;
  /**
   * Every AMQP header of the dead letter as received (failure headers, `x-death`, the
   * publisher's own), byte-array values decoded as UTF-8 text so it prints and serialises as JSON.
   */
  readonly headers: Record<string, unknown>;
  /** The AMQP properties that are set (`messageId`, `contentType`, `timestamp`, ...), headers aside. */
  readonly properties: Record<string, unknown>;
}

/** Options of `DeadLetterService.list()`. */
export interface ListDeadLettersOptions {
  /** Most dead letters to return, oldest first. Default 100. */
  limit?: number;
  /**
   * Dead letters to pass over first (a page: `{ offset: 200, limit: 50 }`). Default 0. They are
   * read and let go one by one, so a deep page costs time, not memory.
   */
  offset?: number;
}

/** Options of `DeadLetterService.replay()`. */
export interface ReplayDeadLettersOptions {
  /** Most dead letters to replay, oldest first. Default: all. */
  limit?: number;
  /** Replay only these event ids. */
  ids?: string[];
}

/** Outcome of a replay. */
export interface ReplayResult {
  /** Event ids sent back to their queue. */
  replayed: string[];
  /** Dead letters left in place because their original queue no longer exists. */
  skipped: Array<{ eventId: string; originalQueue: string }>;
}

/** Options of `DeadLetterService.replayEdited()`. */
export interface ReplayEditedOptions {
  /** DTO the edited event's `data` must pass (class-validator), as the consumer would check it. */
  schema?: ClassConstructor;
}
