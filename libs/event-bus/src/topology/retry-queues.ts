import type { Channel } from 'amqplib';
import { retryWaitQueueName } from './queue-naming';
import { declareQueue } from './topology-declarer';

/**
 * Arguments of a wait queue: every message expires after `delayMs` (one TTL per queue, so
 * the head always expires first and nothing waits behind a longer delay) and is then
 * dead-lettered through the default exchange straight back to `queue`. No plugin needed.
 */
export function retryWaitQueueArguments(queue: string, delayMs: number): Record<string, unknown> {
  return {
    'x-queue-type': 'classic',
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
  };
}

/** Declares the wait queues of `queue`, one per delay (idempotent). */
export async function assertRetryQueues(channel: Channel, queue: string, delays: readonly number[]): Promise<void> {
  for (const delay of delays) {
    await declareQueue(channel, retryWaitQueueName(queue, delay), { durable: true, arguments: retryWaitQueueArguments(queue, delay) });
  }
}
