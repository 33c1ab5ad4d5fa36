import type { Channel, Options } from 'amqplib';
import { QueueArgumentsMismatchError } from '../errors/queue-arguments-mismatch.error';
import { consumerQueueOptions, deadLetterQueueOptions, type QueueDeclaration } from './queue-arguments';

/** AMQP reply code for a declaration that does not match the existing entity. */
const PRECONDITION_FAILED = 406;

/** Declares the two exchanges every service uses (idempotent). */
export async function assertExchanges(channel: Channel, exchange: string, deadLetterExchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
}

/**
 * Declares a queue; one that exists with other arguments is reported with the broker's own
 * description of the difference, never deleted. The broker closes the channel on such a
 * mismatch, so the caller must use a channel it can afford to lose.
 */
export async function declareQueue(
  channel: Channel,
  queue: string,
  options: Options.AssertQueue & { arguments: Record<string, unknown> },
): Promise<void> {
  try {
    await channel.assertQueue(queue, options);
  } catch (err) {
    const e = err as { code?: number; message?: string };
    if (e?.code !== PRECONDITION_FAILED) throw err;
    // amqplib quotes the broker's text: `... with message "PRECONDITION_FAILED - <difference>"`.
    const detail = /PRECONDITION_FAILED - (.*?)"?$/.exec(e.message ?? '')?.[1] ?? e.message ?? 'unknown difference';
    throw new QueueArgumentsMismatchError(queue, detail, options.arguments);
  }
}

/** Declares a handler's queue and its dead-letter queue and binds them. */
export async function assertConsumerQueue(channel: Channel, d: QueueDeclaration, exchange: string, type: string): Promise<void> {
  await declareQueue(channel, d.deadLetterQueue, deadLetterQueueOptions(d));
  await declareQueue(channel, d.queue, consumerQueueOptions(d));
  await channel.bindQueue(d.deadLetterQueue, d.deadLetterExchange, d.deadLetterQueue);
  await channel.bindQueue(d.queue, exchange, type);
}
