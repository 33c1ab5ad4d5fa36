import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfirmChannel } from 'amqplib';

/**
 * Runs `work` on a fresh confirm channel of the bus's connection, closed afterwards (which
 * also returns any message taken without ack). For inspection and repair, where a failing
 * passive check must not close a channel that carries traffic.
 */
export async function withTemporaryChannel<T>(connection: AmqpConnection, work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const current = connection.managedConnection.connection;
  if (!current) throw new Error('Not connected to RabbitMQ; try again when the connection is back');
  const channel = await current.createConfirmChannel();
  channel.on('error', () => undefined); // the failing call rejects with the error already
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Ready messages and consumers of a queue, from a passive declare (no management plugin needed). */
export interface QueueDepth {
  messages: number;
  consumers: number;
}

/**
 * Depths of several queues on one temporary channel; a queue that does not exist reports
 * `undefined` (the broker closes the channel on it, so the rest go on a new one).
 */
export async function queueDepths(connection: AmqpConnection, queues: readonly string[]): Promise<Map<string, QueueDepth | undefined>> {
  const result = new Map<string, QueueDepth | undefined>();
  let remaining = [...queues];
  while (remaining.length > 0) {
    remaining = await withTemporaryChannel(connection, async (channel) => {
      for (const [i, queue] of remaining.entries()) {
        try {
          const reply = await channel.checkQueue(queue);
          result.set(queue, { messages: reply.messageCount, consumers: reply.consumerCount });
        } catch {
          result.set(queue, undefined);
          return remaining.slice(i + 1);
        }
      }
      return [];
    });
  }
  return result;
}
