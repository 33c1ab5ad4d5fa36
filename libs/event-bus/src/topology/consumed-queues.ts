import type { SubscribeOptions } from '../interfaces/subscribe-options.interface';
import { partitionQueueName } from './partition-naming';

/** Partitions of an `ordered: 'byKey'` subscription without a `partitions` option. */
export const DEFAULT_PARTITIONS = 8;

/**
 * The queues a subscription's messages wait in: its own queue, or for `ordered: 'byKey'` its
 * partition queues `<queue>.p0..pN-1` (the subscription's queue name itself is never declared).
 */
export function consumedQueues(queue: string, options: Pick<SubscribeOptions, 'ordered' | 'partitions'>): string[] {
  if (options.ordered !== 'byKey') return [queue];
  return Array.from({ length: options.partitions ?? DEFAULT_PARTITIONS }, (_, i) => partitionQueueName(queue, i));
}
