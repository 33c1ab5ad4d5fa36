import type { Channel } from 'amqplib';
import { QueueArgumentsMismatchError } from '../errors/queue-arguments-mismatch.error';
import { consumerQueueOptions, deadLetterQueueOptions, type QueueDeclaration } from './queue-arguments';

/** AMQP reply code for a declaration that does not match the existing entity. */
const PRECONDITION_FAILED = 406;

/** Declares the two exchanges every service uses (idempotent). */
export async function assertExchanges(channel: Channel, exchange: string, deadLetterExchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
}

function asMismatch(err: unknown, queue: string, args: Record<string, unknown>): unknown {
  const e = err as { code?: number; message?: string };
  if (e?.code !== PRECONDITION_FAILED) return err;
  // The broker names the first differing argument, with both values: keep its words.
  const detail = /PRECONDITION_FAILED - (.*)$/.exec(e.message ?? '')?.[1] ?? e.message ?? 'unknown difference';
  return new QueueArgumentsMismatchError(queue, detail, args);
}

/**
 * Declares a handler's queue and its dead-letter queue and binds them. A queue that exists
 * with other arguments is reported, never deleted. The broker closes the channel on such a
 * mismatch, so the caller must use a channel it can afford to lose.
 */
export async function assertConsumerQueue(channel: Channel, d: QueueDeclaration, exchange: string, type: string): Promise<void> {
  const dlq = d.deadLetterQueue;
  const dlqOptions = deadLetterQueueOptions(d);
  try {
    await channel.assertQueue(dlq, dlqOptions);
  } catch (err) {
    throw asMismatch(err, dlq, dlqOptions.arguments);
  }
  const options = consumerQueueOptions(d);
  try {
    await channel.assertQueue(d.queue, options);
  } catch (err) {
    throw asMismatch(err, d.queue, options.arguments);
  }
  await channel.bindQueue(dlq, d.deadLetterExchange, dlq);
  await channel.bindQueue(d.queue, exchange, type);
}
