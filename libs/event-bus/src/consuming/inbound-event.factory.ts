import type { ConsumeMessage } from 'amqplib';
import type { EventContext } from '../interfaces/event-context.interface';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { InboundEvent } from './consume-interceptor.interface';
import { retryCountOf, retryHistoryOf } from '../wire/failure-headers';
import type { BoundSubscription } from './bound-subscription';

/**
 * The handler's `EventContext`. Its headers (for `@EventHeader()`) sit behind a getter, so
 * the context still logs and compares as its three delivery facts; a class rather than
 * `Object.defineProperty` on a literal, which costs a dictionary-mode object per delivery.
 */
class DeliveryContext implements EventContext {
  readonly #headers: Readonly<Record<string, unknown>>;

  constructor(
    public attempt: number,
    public readonly queue: string,
    public readonly redelivered: boolean,
    headers: Readonly<Record<string, unknown>>,
  ) {
    this.#headers = headers;
  }

  get headers(): Readonly<Record<string, unknown>> {
    return this.#headers;
  }
}

/** A delivery as the consume chain sees it: attempt and history come from the message's headers. */
export function createInboundEvent(
  message: ConsumeMessage,
  spec: BoundSubscription,
  signal: AbortSignal,
  report: (outcome: ConsumeOutcome) => void,
): InboundEvent {
  const history = retryHistoryOf(message.properties.headers);
  const headers = message.properties.headers ?? {};
  const context = new DeliveryContext(retryCountOf(headers) + 1, spec.queue, message.fields.redelivered, headers);
  return {
    message,
    subscription: spec,
    context,
    history,
    historyStart: history.length,
    signal,
    report,
  };
}
