import { runWithCorrelation } from '../../correlation/correlation-context';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/**
 * Makes the handled event's correlation id current for the rest of the chain, so log lines
 * name it and events published by the handler inherit it, with this event as their cause.
 */
export class CorrelationInterceptor implements ConsumeInterceptor {
  intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const envelope = envelopeOf(event);
    return runWithCorrelation({ correlationId: envelope.metadata.correlationId, eventId: envelope.id }, next);
  }
}
