/** What decides a consumer queue's declaration. */
export interface QueueDeclaration {
  queue: string;
  durable: boolean;
  queueType: 'classic' | 'quorum';
  ordered: boolean;
  deadLetterExchange: string;
  /** Durable queue that keeps this queue's dead letters (for a private queue: its durable base queue's). */
  deadLetterQueue: string;
}

/** AMQP `queue.declare` options of a consumer queue, arguments included. */
export interface QueueDeclareOptions {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: Record<string, unknown>;
}

/**
 * Declaration of a handler's queue. Messages the consumer rejects go to `<queue>.dlq` through
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
  return { durable: true, exclusive: false, autoDelete: false, arguments: args };
}

/**
 * Declaration of a dead-letter queue: always durable, even for a private queue, because
 * dead letters must outlive the instance that failed them.
 */
export function deadLetterQueueOptions(d: QueueDeclaration): QueueDeclareOptions {
  return { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': d.queueType } };
}
