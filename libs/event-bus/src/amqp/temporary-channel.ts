import type { ConfirmChannel } from 'amqplib';
import type { QueueDepth } from '../transport/event-transport.interface';
import type { BrokerConnection } from './broker-connection';

/**
 * Runs `work` on a fresh confirm channel of the bus's connection, closed afterwards (which
 * also returns any message taken without ack). For inspection and repair, where a failing
 * passive check must not close a channel that carries traffic.
 */
export async function withTemporaryChannel<T>(connection: BrokerConnection, work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const current = connection.current;
  if (!current) throw new Error('Not connected to RabbitMQ; try again when the connection is back');
  const channel = await current.createConfirmChannel();
  channel.on('error', () => undefined); // the failing call rejects with the error already
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/**
 * Depths of several queues from passive declares (no management plugin needed), on one
 * temporary channel; a queue that does not exist reports
 * `undefined` (the broker closes the channel on it, so the rest go on a new one).
 */
export async function queueDepths(connection: BrokerConnection, queues: readonly string[]): Promise<Map<string, QueueDepth | undefined>> {
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
