import { EventTypeMismatchError } from '../../errors/event-type-mismatch.error';
import { originalRoutingKey } from '../../wire/republish-properties';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/**
 * Makes sure a handler only ever sees events of the type it subscribed to. A queue is bound to
 * one type, so the routing key and the event's own type (the CloudEvent's `type`, or a plain
 * message's AMQP `type`) agree for every well-formed message; one where they differ was routed
 * by one type and describes another, and is dead-lettered with both named (non-retryable: the
 * same bytes would disagree again).
 */
export class TypeMatchInterceptor implements ConsumeInterceptor {
  intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const { type } = envelopeOf(event);
    const { subscription, message } = event;
    if (type !== subscription.type) {
      return Promise.reject(new EventTypeMismatchError(subscription.queue, subscription.type, type, originalRoutingKey(message)));
    }
    return next();
  }
}
