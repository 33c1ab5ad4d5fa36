import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { composeInterceptors } from './compose-interceptors';
import type { ConsumeInterceptor, InboundEvent } from './consume-interceptor.interface';
import { envelopeOf } from './consume-interceptor.interface';
import { CorrelationInterceptor } from './interceptors/correlation.interceptor';
import { DecodeInterceptor } from './interceptors/decode.interceptor';
import type { SubscriptionSpec } from './subscription-spec';

/**
 * The consume chain of one subscription, outermost first. Each concern is one interceptor
 * in its own file; later stages (validation, dedup, retries, dead-lettering) slot in here.
 */
export function buildConsumePipeline(
  spec: SubscriptionSpec,
  options: ResolvedEventBusOptions,
): (event: InboundEvent) => Promise<void> {
  const interceptors: ConsumeInterceptor[] = [
    new DecodeInterceptor({ maxMessageBytes: options.maxMessageBytes }),
    new CorrelationInterceptor(),
  ];
  return composeInterceptors(interceptors, async (event) => {
    await spec.handler(envelopeOf(event), event.context);
  });
}
