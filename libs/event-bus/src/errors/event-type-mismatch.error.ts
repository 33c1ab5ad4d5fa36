import { NonRetryableError } from './non-retryable.error';

/**
 * A message on a subscription's queue carries an event of another type than the one the queue
 * is bound to (say, a producer routed it with one type and wrote another in the body or the
 * AMQP `type`). It is dead-lettered, never handed to a handler of the other type.
 */
export class EventTypeMismatchError extends NonRetryableError {
  constructor(
    readonly queue: string,
    readonly subscribedType: string,
    readonly eventType: string,
    readonly routingKey: string,
  ) {
    super(
      `Event type ${JSON.stringify(eventType)} on ${queue}, which takes ${JSON.stringify(subscribedType)} ` +
        `(routing key ${JSON.stringify(routingKey)}): the routing key and the event's type must agree`,
    );
    this.name = 'EventTypeMismatchError';
  }
}
