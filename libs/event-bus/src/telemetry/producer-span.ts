import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { ATTR, LIB_ATTR, VALUE } from './semconv';
import { injectTraceContext, type TraceCarrier } from './trace-context';
import { activeTracer } from './tracer-access';

/** A publish being traced: its span, and the trace context the message carries. */
export interface PublishTrace {
  readonly span: Span;
  readonly carrier: TraceCarrier;
}

/**
 * Starts the PRODUCER span of one publish, a child of whatever span is active (the HTTP request,
 * or the handler whose event caused this one), and the trace context to send along. Undefined
 * when no tracing SDK is registered: the caller then does nothing more.
 */
export function startPublishSpan(envelope: EventEnvelope, exchange: string): PublishTrace | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const m = envelope.metadata;
  const span = tracer.startSpan(`${VALUE.publish} ${exchange}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      [ATTR.messagingSystem]: VALUE.rabbitmq,
      [ATTR.operationType]: VALUE.send,
      [ATTR.operationName]: VALUE.publish,
      [ATTR.destinationName]: exchange,
      [ATTR.routingKey]: envelope.type,
      [ATTR.messageId]: envelope.id,
      [ATTR.conversationId]: m.correlationId,
      [LIB_ATTR.eventType]: envelope.type,
      ...(m.causationId !== undefined ? { [LIB_ATTR.causationId]: m.causationId } : {}),
    },
  });
  return { span, carrier: injectTraceContext(trace.setSpan(context.active(), span)) };
}

/** Ends a publish span: OK once confirmed, ERROR (with the exception) when refused or failed. */
export function endPublishSpan(traced: PublishTrace | undefined, error?: unknown, bodySize?: number): void {
  if (!traced) return;
  const { span } = traced;
  if (bodySize !== undefined) span.setAttribute(ATTR.bodySize, bodySize);
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setAttribute(ATTR.errorType, error instanceof Error ? error.name : 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
