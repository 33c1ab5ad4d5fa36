import type { Channel } from 'amqplib';
import { PARTITION_KEY_HEADER } from '../event-bus.constants';
import { consumerQueueOptions, deadLetterQueueOptions, type QueueDeclareOptions } from './queue-arguments';
import {
  membersQueueName,
  partitionExchangeName,
  partitionOwnerQueueName,
  partitionQueueName,
  unkeyedExchangeName,
} from './partition-naming';
import { declareQueue } from './topology-declarer';

/** The RabbitMQ exchange type of the consistent-hash plugin (`rabbitmq_consistent_hash_exchange`). */
export const CONSISTENT_HASH_EXCHANGE_TYPE = 'x-consistent-hash';

/** What decides the broker entities of one `ordered: 'byKey'` subscription. */
export interface PartitionTopology {
  /** The subscription's queue name; the partitions are `<queue>.p0` ... */
  queue: string;
  partitions: number;
  /** Event type (routing key on the events exchange). */
  type: string;
  exchange: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  queueType: 'classic' | 'quorum';
  /** `x-delivery-limit` of quorum partition queues (`rabbitmq.deliveryLimit`). */
  deliveryLimit: number;
}

/**
 * Arguments of the hash exchange: it hashes the `x-partition-key` header, and whatever it
 * cannot route goes to its alternate exchange, bound to partition 0. (RabbitMQ 3.10 hashes a
 * missing header like an empty one, so keyless events all land on one partition; the alternate
 * exchange covers brokers that would not route them at all.)
 */
export function partitionExchangeArguments(queue: string): Record<string, unknown> {
  return { 'hash-header': PARTITION_KEY_HEADER, 'alternate-exchange': unkeyedExchangeName(queue) };
}

/**
 * A partition queue: durable, of the configured type, dead-lettering to the subscription's one
 * DLQ, and single-active-consumer, so that even two instances that both believe they own it
 * never receive its messages at the same time.
 */
export function partitionQueueOptions(t: PartitionTopology, index: number): QueueDeclareOptions {
  return consumerQueueOptions({
    queue: partitionQueueName(t.queue, index),
    durable: true,
    queueType: t.queueType,
    ordered: true,
    deadLetterExchange: t.deadLetterExchange,
    deadLetterQueue: t.deadLetterQueue,
    deliveryLimit: t.deliveryLimit,
  });
}

/** The queues that carry no messages, only consumers (members, owners): classic, gone with the broker's restart. */
export const MARKER_QUEUE_OPTIONS: QueueDeclareOptions = {
  durable: false,
  exclusive: false,
  autoDelete: false,
  arguments: { 'x-queue-type': 'classic' },
};

/** The members queue disappears with the last instance consuming it. */
export const MEMBERS_QUEUE_OPTIONS: QueueDeclareOptions = { ...MARKER_QUEUE_OPTIONS, autoDelete: true };

/**
 * Declares everything an `ordered: 'byKey'` subscription routes through, idempotently: the DLQ,
 * the alternate exchange and partition 0's binding to it, the hash exchange, the partition
 * queues (each bound with weight 1) and their owner queues, the members queue, and last the
 * binding of the hash exchange to the events exchange, so no event arrives before its partition.
 * Needs the plugin: on a broker without it the exchange declaration closes the whole connection,
 * which is why `probeHashExchange` runs first on a connection of its own.
 */
export async function assertPartitionTopology(channel: Channel, t: PartitionTopology): Promise<void> {
  await declareQueue(channel, t.deadLetterQueue, deadLetterQueueOptions({ ...t, durable: true, ordered: true }));
  await channel.bindQueue(t.deadLetterQueue, t.deadLetterExchange, t.deadLetterQueue);
  const hashExchange = partitionExchangeName(t.queue);
  const unkeyed = unkeyedExchangeName(t.queue);
  await channel.assertExchange(unkeyed, 'fanout', { durable: true });
  await channel.assertExchange(hashExchange, CONSISTENT_HASH_EXCHANGE_TYPE, {
    durable: true,
    arguments: partitionExchangeArguments(t.queue),
  });
  for (let i = 0; i < t.partitions; i++) {
    const queue = partitionQueueName(t.queue, i);
    await declareQueue(channel, queue, partitionQueueOptions(t, i));
    // The binding key of a consistent-hash exchange is the queue's weight on the ring.
    await channel.bindQueue(queue, hashExchange, '1');
    await declareQueue(channel, partitionOwnerQueueName(t.queue, i), MARKER_QUEUE_OPTIONS);
  }
  await channel.bindQueue(partitionQueueName(t.queue, 0), unkeyed, '');
  await declareQueue(channel, membersQueueName(t.queue), MEMBERS_QUEUE_OPTIONS);
  await channel.bindExchange(hashExchange, t.exchange, t.type);
}
