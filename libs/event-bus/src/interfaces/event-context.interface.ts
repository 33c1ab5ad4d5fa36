/** Delivery facts handed to a handler next to the event. */
export interface EventContext {
  /** 1-based attempt number: 1 on first delivery, 2 on the first retry, ... */
  attempt: number;
  /** Queue the event was consumed from. */
  queue: string;
  /** True when the broker redelivered the message (a previous consumer did not settle it). */
  redelivered: boolean;
  /**
   * AMQP headers of the delivery (`{}` when it has none), as the broker handed them over;
   * what `@EventHeader()` reads. Not enumerable, so a logged or compared context shows the
   * three delivery facts above; absent on contexts built by hand.
   */
  readonly headers?: Readonly<Record<string, unknown>>;
}
