import type { Channel } from 'amqplib';
import { declareQueueCompatibly, type DeclarationChannels } from './compatible-declaration';
import { consumerQueueOptions, deadLetterQueueOptions, QUORUM_ARGUMENTS_ADDED_LATER, type QueueDeclaration } from './queue-arguments';
import { assertRetryQueues } from './retry-queues';
import { assertConsumerQueue, declareQueue } from './topology-declarer';

/**
 * Everything a subscription consumes from: its queue and dead-letter queue, their bindings,
 * and the retry wait queues of `retryDelays`, declared in the subscription's queue type.
 * Durable quorum queues are declared through `channels`, so one created by an earlier version
 * (with fewer arguments, or a classic wait queue) is kept with a warning instead of failing
 * the start; classic topology is declared on `channel` exactly as before.
 */
export async function declareConsumerTopology(
  channel: Channel,
  d: QueueDeclaration,
  binding: { exchange: string; type: string; retryDelays: readonly number[] },
  channels: DeclarationChannels,
): Promise<void> {
  if (d.queueType === 'quorum' && d.durable) {
    await declareQueue(channel, d.deadLetterQueue, deadLetterQueueOptions(d));
    await declareQueueCompatibly(channels, d.queue, consumerQueueOptions(d), { addedLater: QUORUM_ARGUMENTS_ADDED_LATER });
    await channel.bindQueue(d.deadLetterQueue, d.deadLetterExchange, d.deadLetterQueue);
    await channel.bindQueue(d.queue, binding.exchange, binding.type);
  } else {
    await assertConsumerQueue(channel, d, binding.exchange, binding.type);
  }
  await assertRetryQueues(channel, d.queue, binding.retryDelays, d.durable ? d.queueType : 'classic', channels);
}
