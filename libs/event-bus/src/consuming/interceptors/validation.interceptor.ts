import { ValidationFailedError } from '../../errors/validation-failed.error';
import type { ClassConstructor } from '../../interfaces/subscribe-options.interface';
import { validateEventData } from '../../validation/validate-event-data';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/** Options of the validation stage. */
export interface ValidationInterceptorOptions {
  /** DTO the event's data must satisfy. */
  schema: ClassConstructor;
}

/**
 * Validates `data` against the DTO and hands the handler the transformed instance. Invalid
 * data fails with `ValidationFailedError`: non-retryable, so it goes straight to the DLQ.
 */
export class ValidationInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: ValidationInterceptorOptions) {
    if (typeof options.schema !== 'function') throw new Error('ValidationInterceptor: schema must be a class');
  }

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const envelope = envelopeOf(event);
    const result = await validateEventData(this.options.schema, envelope.data);
    if (!result.ok) throw new ValidationFailedError(envelope.type, result.problems);
    event.envelope = { ...envelope, data: result.value };
    return next();
  }
}
