import { context } from '@opentelemetry/api';
import { MessageHeldSignal } from '../../errors/message-held.signal';
import { endAttemptSpan, failAttemptSpan, startAttemptSpan } from '../../telemetry/attempt-spans';
import { metricsActive, recordProcess } from '../../telemetry/otel-metrics';
import { activeTracer } from '../../telemetry/tracer-access';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/** Options of the tracing stage. */
export interface TracingInterceptorOptions {
  /** The events exchange: the destination RabbitMQ's conventions name on spans and metrics. */
  exchange: string;
}

/**
 * One CONSUMER span and one `messaging.process.duration` sample per handler attempt
 * (docs/observability.md). It sits inside the retry stage, so an in-place retry is a span of
 * its own, and runs the rest of the chain in the span's context: events the handler publishes
 * are its children. A failed attempt's span stays open until the retry or dead-letter stage has
 * recorded its verdict on it. Without a tracing SDK or meter provider it only reads the clock.
 */
export class TracingInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: TracingInterceptorOptions) {
    if (!options.exchange) throw new Error('TracingInterceptor: exchange is required');
  }

  intercept(event: InboundEvent, next: NextStage): Promise<void> {
    // Nothing registered: not even a stage of its own on the hot path.
    if (!activeTracer() && !metricsActive()) return next();
    return this.observe(event, next);
  }

  private async observe(event: InboundEvent, next: NextStage): Promise<void> {
    const envelope = envelopeOf(event);
    const { message, subscription } = event;
    const { exchange } = this.options;
    // The first attempt of a delivery has added nothing to the history yet; in-place retries have.
    const newDelivery = event.history.length === event.historyStart;
    const traced = startAttemptSpan(event, {
      envelope,
      exchange,
      queue: subscription.queue,
      attempt: event.context.attempt,
      headers: message.properties.headers,
      deliveryTag: message.fields.deliveryTag,
      bodySize: message.content.length,
    });
    const started = performance.now();
    try {
      await (traced ? context.with(traced.context, next) : next());
    } catch (error) {
      // A held message was not processed: nothing failed, and it comes back later.
      if (error instanceof MessageHeldSignal) {
        if (traced) endAttemptSpan(traced.span);
        throw error;
      }
      recordProcess(exchange, subscription.queue, envelope.type, newDelivery, (performance.now() - started) / 1000, error);
      if (traced) failAttemptSpan(event, traced.span, error);
      throw error;
    }
    recordProcess(exchange, subscription.queue, envelope.type, newDelivery, (performance.now() - started) / 1000);
    if (traced) endAttemptSpan(traced.span);
  }
}
