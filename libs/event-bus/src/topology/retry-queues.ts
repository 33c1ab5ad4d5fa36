import type { Channel } from 'amqplib';
import { retryWaitQueueName } from './queue-naming';
import { declareQueueCompatibly, type DeclarationChannels } from './compatible-declaration';
import { AT_LEAST_ONCE_DEAD_LETTERING, QUORUM_ARGUMENTS_ADDED_LATER } from './queue-arguments';
import { declareQueue } from './topology-declarer';

/**
 * Arguments of a wait queue: every message expires after `delayMs` (one TTL per queue, so
 * the head always expires first and nothing waits behind a longer delay) and is then
 * dead-lettered through the default exchange straight back to `queue`. No plugin needed.
 * A quorum wait queue (the type of its main queue) is replicated like it, and hands messages
 * back at least once: a message is not dropped when the main queue's leader is moving.
 */
export function retryWaitQueueArguments(
  queue: string,
  delayMs: number,
  queueType: 'classic' | 'quorum' = 'classic',
): Record<string, unknown> {
  return {
    'x-queue-type': queueType,
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    ...(queueType === 'quorum' ? AT_LEAST_ONCE_DEAD_LETTERING : {}),
  };
}

/**
 * Declares the wait queues of `queue`, one per delay (idempotent). Quorum wait queues go
 * through `channels`, so one left classic by an earlier version is kept (with a warning)
 * instead of failing the start.
 */
export async function assertRetryQueues(
  channel: Channel,
  queue: string,
  delays: readonly number[],
  queueType: 'classic' | 'quorum' = 'classic',
  channels?: DeclarationChannels,
): Promise<void> {
  for (const delay of delays) {
    const name = retryWaitQueueName(queue, delay);
    const args = retryWaitQueueArguments(queue, delay, queueType);
    if (queueType === 'quorum' && channels) {
      await declareQueueCompatibly(
        channels,
        name,
        { durable: true, arguments: args },
        {
          addedLater: QUORUM_ARGUMENTS_ADDED_LATER,
          earlierType: { classic: retryWaitQueueArguments(queue, delay, 'classic') },
        },
      );
    } else {
      await declareQueue(channel, name, { durable: true, arguments: args });
    }
  }
}
