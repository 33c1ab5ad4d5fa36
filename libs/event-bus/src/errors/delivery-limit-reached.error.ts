import { NonRetryableError } from './non-retryable.error';

/**
 * A quorum queue delivered the event `deliveries` times before without anyone settling it: the
 * consumer crashed or lost its connection while handling it, each time. At the delivery limit
 * the bus dead-letters it with its failure headers, where the broker would drop it into the
 * dead-letter queue without them (or loop on it for good without a limit).
 */
export class DeliveryLimitReachedError extends NonRetryableError {
  constructor(
    readonly queue: string,
    /** Earlier deliveries of this message, as the broker counted them. */
    readonly deliveries: number,
    /** `rabbitmq.deliveryLimit`. */
    readonly limit: number,
  ) {
    super(
      `Delivered ${deliveries} times without being settled: the consumer crashed or lost its connection while handling it ` +
        `(delivery limit ${limit} of ${queue}). Dead-lettered instead of being handled again; replay it once the cause is fixed.`,
    );
    this.name = 'DeliveryLimitReachedError';
  }
}
