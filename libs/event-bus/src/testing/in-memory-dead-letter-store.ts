import { Injectable } from '@nestjs/common';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.interface';
import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from '../dead-letters/dead-letter.interface';
import { readDeadLetter } from '../dead-letters/dead-letter-reader';
import { deadLetterQueueOf } from '../topology/queue-naming';
import { replayHeaders } from '../wire/failure-headers';
import { copyProperties } from '../wire/republish-properties';
import { InMemoryBroker } from './in-memory-broker';

/** Dead letters of the in-memory broker, with the same rules as on RabbitMQ. */
@Injectable()
export class InMemoryDeadLetterStore implements DeadLetterStore {
  constructor(private readonly broker: InMemoryBroker) {}

  async list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const dlq = this.existing(queue);
    return this.broker
      .messages(dlq)
      .slice(0, options.limit ?? 100)
      .map((message) => readDeadLetter(message, dlq));
  }

  async count(queue: string): Promise<number> {
    return this.broker.depth(this.existing(queue));
  }

  async replay(queue: string, options: ReplayDeadLettersOptions = {}): Promise<ReplayResult> {
    const dlq = this.existing(queue);
    const wanted = options.ids ? new Set(options.ids) : undefined;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const result: ReplayResult = { replayed: [], skipped: [] };
    for (const message of this.broker.messages(dlq)) {
      if (result.replayed.length >= limit) break;
      const letter = readDeadLetter(message, dlq);
      if (wanted && !wanted.has(letter.eventId)) continue;
      if (!this.broker.hasQueue(letter.originalQueue)) {
        result.skipped.push({ eventId: letter.eventId, originalQueue: letter.originalQueue });
        continue;
      }
      this.broker.remove(dlq, message);
      const headers = replayHeaders(message.properties.headers, letter.replayCount + 1);
      this.broker.publish('', letter.originalQueue, message.content, { ...copyProperties(message), headers });
      result.replayed.push(letter.eventId);
    }
    return result;
  }

  async purge(queue: string): Promise<number> {
    return this.broker.purge(this.existing(queue));
  }

  /** The DLQ of `queue`; like RabbitMQ, a DLQ that was never declared is an error, not an empty queue. */
  private existing(queue: string): string {
    const dlq = deadLetterQueueOf(queue);
    if (!this.broker.hasQueue(dlq)) throw new Error(`NOT_FOUND - no queue '${dlq}'`);
    return dlq;
  }
}
