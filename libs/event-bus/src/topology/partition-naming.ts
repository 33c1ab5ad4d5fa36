/**
 * Names of the broker entities of an `ordered: 'byKey'` subscription on `queue` (docs/ordering.md).
 * Queues and exchanges have separate namespaces; the suffixes keep both readable side by side.
 */

/** Partition queue `i` of `queue`: `<queue>.p<i>`. */
export function partitionQueueName(queue: string, index: number): string {
  return `${queue}.p${index}`;
}

/** The consistent-hash exchange that spreads the subscription's events over its partitions: `<queue>.by-key`. */
export function partitionExchangeName(queue: string): string {
  return `${queue}.by-key`;
}

/** The hash exchange's alternate exchange, taking whatever it cannot route to partition 0: `<queue>.unkeyed`. */
export function unkeyedExchangeName(queue: string): string {
  return `${queue}.unkeyed`;
}

/** Auto-delete queue every live instance consumes, so its consumer count is the number of instances: `<queue>.members`. */
export function membersQueueName(queue: string): string {
  return `${queue}.members`;
}

/**
 * Queue whose exclusive consumer is the owner of partition `i`: `<queue>.p<i>.owner`. Nothing is
 * ever published to it; RabbitMQ lets only one consumer hold it, which quorum queues (the
 * partition queue itself may be one) do not enforce.
 */
export function partitionOwnerQueueName(queue: string, index: number): string {
  return `${queue}.p${index}.owner`;
}
