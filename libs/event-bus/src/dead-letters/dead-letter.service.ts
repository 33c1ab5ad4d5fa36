import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS_DEAD_LETTER_STORE } from '../event-bus.constants';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type {
  DeadLetter,
  ListDeadLettersOptions,
  ReplayDeadLettersOptions,
  ReplayEditedOptions,
  ReplayResult,
} from './dead-letter.interface';

/**
 * Inspects and repairs dead-letter queues. Every method takes a handler's queue
 * (`auth.USER_CREATED`) or its DLQ (`auth.USER_CREATED.dlq`).
 */
@Injectable()
export class DeadLetterService {
  constructor(@Inject(EVENT_BUS_DEAD_LETTER_STORE) private readonly store: DeadLetterStore) {}

  /** Dead letters, oldest first, left in place (default limit 100; `offset` pages further back). */
  list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    return this.store.list(queue, options);
  }

  /** Number of dead letters waiting. */
  count(queue: string): Promise<number> {
    return this.store.count(queue);
  }

  /**
   * The oldest dead letter with this event id, left in place, or `undefined`. Looks through the
   * whole DLQ if need be, holding one dead letter at a time.
   */
  find(queue: string, eventId: string): Promise<DeadLetter | undefined> {
    if (!this.store.find) return Promise.reject(unsupported('find'));
    return this.store.find(queue, eventId);
  }

  /**
   * Sends dead letters back to the queue they failed on, oldest first: retry count reset,
   * history kept, `x-replay-count` incremented. Each leaves the DLQ only once its copy is
   * safely back in its queue. Dead letters whose queue no longer exists are skipped.
   */
  replay(queue: string, options: ReplayDeadLettersOptions = {}): Promise<ReplayResult> {
    return this.store.replay(queue, options);
  }

  /**
   * Replays one dead letter with a corrected body, like `replay` does (headers, history, replay
   * count), after checking the body: it must be JSON, decode as an event of the same type, and
   * pass `options.schema` when given. A refused body leaves the dead letter where it was.
   *
   * @throws DeadLetterNotFoundError when the dead letter is no longer there
   * @throws EditedBodyRejectedError with the problems of the body
   */
  replayEdited(queue: string, eventId: string, body: string, options: ReplayEditedOptions = {}): Promise<ReplayResult> {
    if (!this.store.replayEdited) return Promise.reject(unsupported('replayEdited'));
    return this.store.replayEdited(queue, eventId, body, options);
  }

  /** Deletes every dead letter of the queue; returns how many. */
  purge(queue: string): Promise<number> {
    return this.store.purge(queue);
  }
}

function unsupported(method: string): Error {
  return new Error(`The dead-letter store in use has no ${method}(); the RabbitMQ store (EventBusModule) has`);
}
