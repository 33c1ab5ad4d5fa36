import { Inject, Injectable } from '@nestjs/common';
import type { ConfirmChannel, GetMessage } from 'amqplib';
import type { BrokerConnection } from '../amqp/broker-connection';
import { withTemporaryChannel } from '../amqp/temporary-channel';
import { EVENT_BUS_AMQP_CONNECTION } from '../event-bus.constants';
import { deadLetterQueueOf } from '../topology/queue-naming';
import { replayHeaders } from '../wire/failure-headers';
import { copyProperties } from '../wire/republish-properties';
import { readDeadLetter } from './dead-letter-reader';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from './dead-letter.interface';

/**
 * Dead letters on RabbitMQ.
 *
 * Reading works by taking messages without acking them and closing the channel, which
 * returns them to their original places: listing leaves the DLQ as it was, in order.
 */
@Injectable()
export class RabbitMqDeadLetterStore implements DeadLetterStore {
  constructor(@Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: BrokerConnection) {}

  /** Dead letters, oldest first, left in place. */
  async list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const dlq = deadLetterQueueOf(queue);
    const limit = options.limit ?? 100;
    return this.withChannel(async (channel) => {
      const total = (await channel.checkQueue(dlq)).messageCount;
      const out: DeadLetter[] = [];
      while (out.length < Math.min(limit, total)) {
        const message = await channel.get(dlq, { noAck: false });
        if (!message) break;
        out.push(readDeadLetter(message, dlq));
      }
      return out;
    });
  }

  /** Number of dead letters waiting. */
  count(queue: string): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(deadLetterQueueOf(queue))).messageCount);
  }

  /**
   * Sends dead letters back to the queue they failed on, oldest first: retry count reset,
   * history kept, `x-replay-count` incremented. Each is removed from the DLQ only after the
   * broker confirmed its copy. Only the dead letters present when the call started are
   * considered, so one that fails again meanwhile is not replayed twice.
   */
  async replay(queue: string, options: ReplayDeadLettersOptions = {}): Promise<ReplayResult> {
    const dlq = deadLetterQueueOf(queue);
    const wanted = options.ids ? new Set(options.ids) : undefined;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const result: ReplayResult = { replayed: [], skipped: [] };
    const queueExists = new Map<string, boolean>();
    await this.withChannel(async (channel) => {
      let remaining = (await channel.checkQueue(dlq)).messageCount;
      while (remaining-- > 0 && result.replayed.length < limit) {
        const message = await channel.get(dlq, { noAck: false });
        if (!message) break;
        const letter = readDeadLetter(message, dlq);
        if (wanted && !wanted.has(letter.eventId)) continue; // stays unacked: returned on close
        if (!queueExists.has(letter.originalQueue)) queueExists.set(letter.originalQueue, await this.exists(letter.originalQueue));
        if (!queueExists.get(letter.originalQueue)) {
          result.skipped.push({ eventId: letter.eventId, originalQueue: letter.originalQueue });
          continue;
        }
        await this.sendBack(channel, message, letter.originalQueue, letter.replayCount + 1);
        channel.ack(message);
        result.replayed.push(letter.eventId);
      }
    });
    return result;
  }

  /** Deletes every dead letter of the queue; returns how many. */
  purge(queue: string): Promise<number> {
    return this.withChannel(async (channel) => (await channel.purgeQueue(deadLetterQueueOf(queue))).messageCount);
  }

  private sendBack(channel: ConfirmChannel, message: GetMessage, queue: string, replayCount: number): Promise<void> {
    const headers = replayHeaders(message.properties.headers, replayCount);
    return new Promise((resolve, reject) =>
      channel.publish('', queue, message.content, { ...copyProperties(message), headers }, (err) => (err ? reject(err) : resolve())),
    );
  }

  private withChannel<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    return withTemporaryChannel(this.connection, work);
  }

  /** Whether a queue exists (checked on a throwaway channel: a miss closes it). */
  private async exists(queue: string): Promise<boolean> {
    return this.withChannel((channel) => channel.checkQueue(queue).then(() => true)).catch(() => false);
  }
}
