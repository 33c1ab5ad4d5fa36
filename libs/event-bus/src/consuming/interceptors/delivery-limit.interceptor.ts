import type { ConsumeMessage } from 'amqplib';
import { DeliveryLimitReachedError } from '../../errors/delivery-limit-reached.error';
import type { ConsumeInterceptor, InboundEvent, NextStage } from '../consume-interceptor.interface';

/** Options of the delivery-limit stage. */
export interface DeliveryLimitInterceptorOptions {
  /** Deliveries the queue allows (`x-delivery-limit`, `rabbitmq.deliveryLimit`). */
  deliveryLimit: number;
}

/**
 * Earlier deliveries of a message as a quorum queue counts them: `x-delivery-count` (every
 * return up to RabbitMQ 3.13, failed ones from 4.0), `x-acquired-count` (every return, from
 * 4.0), whichever is higher. A first delivery counts 0 whatever its headers say, so counts
 * copied along with a republished message (a retry, a replay) are never taken for its own.
 */
export function earlierDeliveries(message: ConsumeMessage): number {
  if (!message.fields.redelivered) return 0;
  const headers = message.properties.headers;
  const count = (name: string): number => {
    const value = Number(headers?.[name]);
    return Number.isFinite(value) ? value : 0;
  };
  return Math.max(count('x-delivery-count'), count('x-acquired-count'));
}

/**
 * Quorum queues only: a message that has come back `deliveryLimit` times without being settled
 * is dead-lettered by the bus, with `DeliveryLimitReachedError` and the failure headers, on its
 * last delivery before the broker would drop it into the dead-letter queue bare. Costs one flag
 * test per delivery (header reads only for redeliveries).
 */
export class DeliveryLimitInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: DeliveryLimitInterceptorOptions) {
    if (!Number.isInteger(options.deliveryLimit) || options.deliveryLimit < 1) {
      throw new Error('DeliveryLimitInterceptor: deliveryLimit must be an integer >= 1');
    }
  }

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const deliveries = earlierDeliveries(event.message);
    if (deliveries >= this.options.deliveryLimit) {
      throw new DeliveryLimitReachedError(event.subscription.queue, deliveries, this.options.deliveryLimit);
    }
    return next();
  }
}
