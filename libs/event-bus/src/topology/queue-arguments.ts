/** What decides a consumer queue's declaration. */
export interface QueueDeclaration {
  queue: string;
  durable: boolean;
  queueType: 'classic' | 'quorum';
  ordered: boolean;
  deadLetterExchange: string;
  /** Durable queue that keeps this queue's dead letters (for a private queue: its durable base queue's). */
  deadLetterQueue: string;
  /** `x-delivery-limit` of a durable quorum queue (`rabbitmq.deliveryLimit`); default 20. */
  deliveryLimit?: number;
}

/** Delivery limit of quorum queues when none is given (RabbitMQ 4's own default, too). */
export const DEFAULT_DELIVERY_LIMIT = 20;

/**
 * Arguments that make a quorum queue dead-letter at least once: without them RabbitMQ drops a
 * dead letter whose target is briefly unavailable (a leader change, a node restart).
 * `at-least-once` needs `reject-publish`, which only matters once a length limit is set.
 */
export const AT_LEAST_ONCE_DEAD_LETTERING = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

/**
 * Quorum-queue arguments earlier versions did not declare. RabbitMQ compares them on every
 * declaration, so a queue created before they existed refuses them; the declaration then
 * falls back to the queue's own arguments (see `declareQueueCompatibly`).
 */
export const QUORUM_ARGUMENTS_ADDED_LATER: readonly string[] = ['x-dead-letter-strategy', 'x-overflow', 'x-delivery-limit'];

/** AMQP `queue.declare` options of a consumer queue, arguments included. */
export interface QueueDeclareOptions {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: Record<string, unknown>;
}

/**
 * Declaration of a handler's queue. A durable quorum queue dead-letters at least once and has
 * `x-delivery-limit`. Messages the consumer rejects go to `<queue>.dlq` through
 * the dead-letter exchange (the broker does it, so even a message we fail to re-route is kept);
 * `ordered` queues allow a single active consumer across instances.
 */
export function consumerQueueOptions(d: QueueDeclaration): QueueDeclareOptions {
  const args: Record<string, unknown> = {
    'x-dead-letter-exchange': d.deadLetterExchange,
    'x-dead-letter-routing-key': d.deadLetterQueue,
  };
  if (!d.durable) return { durable: false, exclusive: true, autoDelete: true, arguments: args };
  args['x-queue-type'] = d.queueType;
  if (d.ordered) args['x-single-active-consumer'] = true;
  // The broker's own delivery limit, kept in step with the one the consumer checks (so it
  // is the bus, not the broker, that dead-letters a message nobody could settle).
  if (d.queueType === 'quorum')
    Object.assign(args, AT_LEAST_ONCE_DEAD_LETTERING, { 'x-delivery-limit': d.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT });
  return { durable: true, exclusive: false, autoDelete: false, arguments: args };
}

/**
 * Declaration of a dead-letter queue: always durable, even for a private queue, because
 * dead letters must outlive the instance that failed them.
 */
export function deadLetterQueueOptions(d: QueueDeclaration): QueueDeclareOptions {
  return { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': d.queueType } };
}
