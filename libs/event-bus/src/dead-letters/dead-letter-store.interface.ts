import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from './dead-letter.interface';

/**
 * Swap point (`EVENT_BUS_DEAD_LETTER_STORE`): where dead letters are read and repaired.
 * RabbitMQ in production (`RabbitMqDeadLetterStore`), the in-memory broker under
 * `EventBusTestingModule`. Every method takes a handler's queue or its `.dlq`.
 */
export interface DeadLetterStore {
  list(queue: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  count(queue: string): Promise<number>;
  replay(queue: string, options?: ReplayDeadLettersOptions): Promise<ReplayResult>;
  purge(queue: string): Promise<number>;
}
