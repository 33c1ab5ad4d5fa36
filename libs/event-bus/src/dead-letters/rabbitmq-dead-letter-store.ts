import { Inject, Injectable } from '@nestjs/common';
import type { ConfirmChannel, Message } from 'amqplib';
import type { BrokerConnection } from '../amqp/broker-connection';
import { withTemporaryChannel } from '../amqp/temporary-channel';
import { EVENT_BUS_AMQP_CONNECTION } from '../event-bus.constants';
import { deadLetterQueueOf } from '../topology/queue-naming';
import { replayHeaders } from '../wire/failure-headers';
import { copyProperties } from '../wire/republish-properties';
import { deadLetterIdOf, readDeadLetter } from './dead-letter-reader';
import { DeadLetterNotFoundError } from './dead-letter-not-found.error';
import { scanQueue } from './dead-letter-scan';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type {
  DeadLetter,
  ListDeadLettersOptions,
  ReplayDeadLettersOptions,
  ReplayEditedOptions,
  ReplayResult,
} from './dead-letter.interface';
import { editedBodyProblems } from './edited-body.check';
import { EditedBodyRejectedError } from './edited-body-rejected.error';

/**
 * Dead letters on RabbitMQ.
 *
 * Reading works by taking messages without acking them and closing the channel, which
 * returns them to their original places: listing leaves the DLQ as it was, in order. A page
 * further back (`offset`) is reached by letting the messages before it go as they arrive
 * (`scanQueue`), so only the page itself is ever held in memory.
 */
@Injectable()
export class RabbitMqDeadLetterStore implements DeadLetterStore {
  constructor(@Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: BrokerConnection) {}

  /** Dead letters, oldest first, left in place; `offset` of them passed over first. */
  async list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const dlq = deadLetterQueueOf(queue);
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    return this.withChannel(async (channel) => {
      const total = (await channel.checkQueue(dlq)).messageCount;
      const out: DeadLetter[] = [];
      if (limit <= 0 || offset >= total) return out;
      await scanQueue(channel, dlq, Math.min(total, offset + limit), (message, index) => {
        if (index >= offset) out.push(readDeadLetter(message, dlq));
        return out.length < limit;
      });
      return out;
    });
  }

  /** The oldest dead letter with the event id, left in place; `undefined` when there is none. */
  async find(queue: string, eventId: string): Promise<DeadLetter | undefined> {
    const dlq = deadLetterQueueOf(queue);
    return this.withChannel(async (channel) => {
      const found = await this.take(channel, dlq, eventId);
      return found && readDeadLetter(found, dlq);
    });
  }

  /**
   * Sends the oldest dead letter with the event id back to its queue with `body` in place of its
   * own (headers as `replay` sets them), once the body passed `editedBodyProblems()`. The dead
   * letter leaves the DLQ only after the broker confirmed the edited copy; a refused body, a
   * missing queue or a failed publish leaves it where it was.
   */
  async replayEdited(queue: string, eventId: string, body: string, options: ReplayEditedOptions = {}): Promise<ReplayResult> {
    const dlq = deadLetterQueueOf(queue);
    return this.withChannel(async (channel) => {
      const message = await this.take(channel, dlq, eventId);
      if (!message) throw new DeadLetterNotFoundError(dlq, eventId);
      const letter = readDeadLetter(message, dlq);
      const problems = await editedBodyProblems(message, body, letter.type, options.schema);
      if (problems.length > 0) throw new EditedBodyRejectedError(dlq, eventId, problems);
      if (!(await this.exists(letter.originalQueue))) return { replayed: [], skipped: [{ eventId, originalQueue: letter.originalQueue }] };
      await this.sendBack(channel, { ...message, content: Buffer.from(body, 'utf8') }, letter.originalQueue, letter.replayCount + 1);
      channel.ack(message);
      return { replayed: [eventId], skipped: [] };
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

  /**
   * The oldest message of the DLQ with the event id, taken unacked on `channel` (acking it
   * removes it; closing the channel puts it back), or `undefined`.
   */
  private async take(channel: ConfirmChannel, dlq: string, eventId: string): Promise<Message | undefined> {
    const total = (await channel.checkQueue(dlq)).messageCount;
    let found: Message | undefined;
    await scanQueue(channel, dlq, total, (message) => {
      if (deadLetterIdOf(message) === eventId) found = message;
      return !found;
    });
    return found;
  }

  private sendBack(channel: ConfirmChannel, message: Message, queue: string, replayCount: number): Promise<void> {
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
