import { MessageHeldSignal } from '../../errors/message-held.signal';
import { NonRetryableError } from '../../errors/non-retryable.error';
import { RetriesExhaustedError } from '../../errors/retries-exhausted.error';
import type { EventBusLogger } from '../../logging/event-bus-logger';
import { failedAttemptHeaders, settleFailedAttempt } from '../../telemetry/attempt-spans';
import { LIB_ATTR, SPAN_EVENT } from '../../telemetry/semconv';
import { retryWaitQueueName } from '../../topology/queue-naming';
import type { ConsumeInterceptor, InboundEvent, NextStage } from '../consume-interceptor.interface';
import type { ConfirmedSend } from '../../transport/event-transport.interface';
import { copyProperties, originalRoutingKey } from '../../wire/republish-properties';
import { describeError, FAILURE_HEADERS } from '../../wire/failure-headers';
import { retryDelayFor, type RetryPolicy } from '../retry-policy';

/** Options of the retry stage. */
export interface RetryInterceptorOptions {
  policy: RetryPolicy;
  /**
   * Retry in place (wait, then call again while holding the message) instead of through a
   * wait queue; for ordered subscriptions, whose queue must not move past a failing event.
   */
  inPlace: boolean;
  send: ConfirmedSend;
  logger: EventBusLogger;
  /** Waits between in-place attempts; a timer unless replaced (tests). */
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Turns a failed attempt into a delayed retry. The message goes, with its history, to the
 * TTL wait queue of that delay, which returns it to the queue when the delay has passed; the
 * original is acked only once the broker confirmed the copy. Waiting messages sit in their
 * own queue, so they never hold up the events behind them. Non-retryable errors and the last
 * attempt's failure go on to the dead-letter stage.
 */
export class RetryInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: RetryInterceptorOptions) {
    const { retryCount, retryDelay } = options.policy;
    if (!Number.isInteger(retryCount) || retryCount < 0) throw new Error('RetryInterceptor: retryCount must be an integer >= 0');
    if (!Number.isInteger(retryDelay) || retryDelay < 0) throw new Error('RetryInterceptor: retryDelay must be an integer >= 0');
  }

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    for (;;) {
      try {
        return await next();
      } catch (error) {
        if (error instanceof MessageHeldSignal) throw error;
        this.record(event, error);
        if (error instanceof NonRetryableError) throw error;
        const retriesSoFar = event.context.attempt - 1;
        if (retriesSoFar >= this.options.policy.retryCount) throw new RetriesExhaustedError(event.context.attempt, error);
        const delay = retryDelayFor(this.options.policy, retriesSoFar + 1);
        this.log(event, error, delay);
        event.report?.('retried');
        if (!this.options.inPlace) return this.scheduleRetry(event, delay);
        settleFailedAttempt(event, SPAN_EVENT.retry, { [LIB_ATTR.retryDelay]: delay, [LIB_ATTR.attempt]: event.context.attempt + 1 }, true);
        await (this.options.wait ?? sleep)(delay);
        event.context.attempt++;
      }
    }
  }

  private record(event: InboundEvent, error: unknown): void {
    event.report?.('failed');
    event.history.push({ attempt: event.context.attempt, error: describeError(error).message, timestamp: new Date().toISOString() });
  }

  /** The copy names the failed attempt's span as its trace parent, so the next attempt is its child. */
  private async scheduleRetry(event: InboundEvent, delay: number): Promise<void> {
    const { message, subscription } = event;
    await this.options.send('', retryWaitQueueName(subscription.queue, delay), message.content, {
      ...copyProperties(message),
      headers: {
        ...message.properties.headers,
        ...failedAttemptHeaders(event),
        [FAILURE_HEADERS.retryCount]: event.context.attempt,
        [FAILURE_HEADERS.retryHistory]: JSON.stringify(event.history),
        [FAILURE_HEADERS.originalRoutingKey]: originalRoutingKey(message),
      },
    });
    settleFailedAttempt(event, SPAN_EVENT.retry, { [LIB_ATTR.retryDelay]: delay, [LIB_ATTR.attempt]: event.context.attempt + 1 });
  }

  private log(event: InboundEvent, error: unknown, delay: number): void {
    this.options.logger.warn('Event handler failed; retrying', {
      error: describeError(error).message,
      retryCount: event.context.attempt,
      timestamp: new Date().toISOString(),
      correlationId: event.envelope?.metadata.correlationId,
      eventId: event.envelope?.id,
      type: event.envelope?.type,
      queue: event.subscription.queue,
      nextAttempt: event.context.attempt + 1,
      delayMs: delay,
    });
  }
}
