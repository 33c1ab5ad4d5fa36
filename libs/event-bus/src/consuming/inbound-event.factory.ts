import type { ConsumeMessage } from 'amqplib';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { InboundEvent } from './consume-interceptor.interface';
import { retryCountOf, retryHistoryOf } from '../wire/failure-headers';
import type { BoundSubscription } from './bound-subscription';

/** A delivery as the consume chain sees it: attempt and history come from the message's headers. */
export function createInboundEvent(
  message: ConsumeMessage,
  spec: BoundSubscription,
  signal: AbortSignal,
  report: (outcome: ConsumeOutcome) => void,
): InboundEvent {
  const history = retryHistoryOf(message.properties.headers);
  const context = { attempt: retryCountOf(message.properties.headers) + 1, queue: spec.queue, redelivered: message.fields.redelivered };
  // For @EventHeader(); not enumerable, so the context still logs and compares as its three facts.
  Object.defineProperty(context, 'headers', { value: message.properties.headers ?? {}, enumerable: false });
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
