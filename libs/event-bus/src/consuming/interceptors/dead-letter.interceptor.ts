import { MessageHeldSignal } from '../../errors/message-held.signal';
import { RetriesExhaustedError } from '../../errors/retries-exhausted.error';
import type { EventBusLogger } from '../../logging/event-bus-logger';
import { failedAttemptHeaders, settleFailedAttempt } from '../../telemetry/attempt-spans';
import { ATTR, LIB_ATTR, SPAN_EVENT } from '../../telemetry/semconv';
import type { ConsumeInterceptor, InboundEvent, NextStage } from '../consume-interceptor.interface';
import type { ConfirmedSend } from '../../transport/event-transport.interface';
import { copyProperties, missingIdentityProperties, originalRoutingKey } from '../../wire/republish-properties';
import { describeError, FAILURE_HEADERS } from '../../wire/failure-headers';

/** Options of the dead-letter stage. */
export interface DeadLetterInterceptorOptions {
  /** Durable direct exchange for dead letters. */
  deadLetterExchange: string;
  send: ConfirmedSend;
  logger: EventBusLogger;
}

/**
 * Outermost stage: whatever failed for good (retries exhausted, `NonRetryableError`, failed
 * validation, an undecodable body) is re-published, body untouched, to the subscription's
 * `<queue>.dlq` with the failure headers of docs/wire-format.md §4, and logged once. The original is acked
 * only after the broker confirmed the dead letter; if that publish fails the error escapes
 * and the consumer rejects the message, which the queue's own dead-letter exchange keeps.
 */
export class DeadLetterInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: DeadLetterInterceptorOptions) {
    if (!options.deadLetterExchange) throw new Error('DeadLetterInterceptor: deadLetterExchange is required');
  }

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    try {
      await next();
    } catch (thrown) {
      if (thrown instanceof MessageHeldSignal) throw thrown;
      const cause = thrown instanceof RetriesExhaustedError ? thrown.lastError : thrown;
      try {
        await this.deadLetter(event, cause);
      } finally {
        // Even if the dead letter could not be sent, the broker dead-letters the rejected message.
        settleFailedAttempt(event, SPAN_EVENT.deadLetter, {
          [LIB_ATTR.deadLetterQueue]: event.subscription.deadLetterQueue,
          [ATTR.errorType]: describeError(cause).name,
        });
      }
    }
  }

  private async deadLetter(event: InboundEvent, cause: unknown): Promise<void> {
    const { message, subscription, context } = event;
    const { message: error, name } = describeError(cause);
    const failedAt = new Date().toISOString();
    // Failures before the retry stage (decoding) have not been recorded during this delivery yet.
    if (event.history.length === event.historyStart) {
      event.report?.('failed');
      event.history.push({ attempt: context.attempt, error, timestamp: failedAt });
    }
    await this.options.send(this.options.deadLetterExchange, subscription.deadLetterQueue, message.content, {
      ...copyProperties(message),
      ...missingIdentityProperties(message, event.envelope),
      headers: {
        ...message.properties.headers,
        // A replay continues the trace as a child of the attempt that failed for good.
        ...failedAttemptHeaders(event),
        [FAILURE_HEADERS.error]: error,
        [FAILURE_HEADERS.errorName]: name,
        [FAILURE_HEADERS.retryCount]: context.attempt - 1,
        [FAILURE_HEADERS.retryHistory]: JSON.stringify(event.history),
        [FAILURE_HEADERS.originalQueue]: subscription.queue,
        [FAILURE_HEADERS.originalRoutingKey]: originalRoutingKey(message),
        [FAILURE_HEADERS.failedAt]: failedAt,
      },
    });
    event.report?.('dead-lettered');
    this.options.logger.error('Event dead-lettered', {
      error,
      retryCount: context.attempt - 1,
      timestamp: failedAt,
      correlationId: event.envelope?.metadata.correlationId ?? message.properties.correlationId,
      eventId: event.envelope?.id ?? message.properties.messageId,
      type: event.envelope?.type ?? originalRoutingKey(message),
      queue: subscription.queue,
      deadLetterQueue: subscription.deadLetterQueue,
      errorName: name,
    });
  }
}
