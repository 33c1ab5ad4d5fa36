import { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { ATTR, LIB_ATTR, VALUE } from './semconv';
import { creationLink, extractTraceContext, injectTraceContext } from './trace-context';
import { activeTracer } from './tracer-access';

/** What a consumer span describes: one attempt of one delivery. */
export interface AttemptInfo {
  envelope: EventEnvelope;
  /** The events exchange (the destination, as RabbitMQ's conventions name it). */
  exchange: string;
  /** Queue consumed from. */
  queue: string;
  /** 1-based attempt. */
  attempt: number;
  headers: Record<string, unknown> | undefined;
  deliveryTag: number;
  bodySize: number;
}

/** Per delivery: the context it continues, and the failed attempt span waiting for its verdict. */
interface DeliveryTrace {
  parent: Context;
  failed?: Span;
}

/**
 * Trace state of deliveries in flight, keyed by the delivery object itself, so it goes when the
 * delivery does. A failed attempt's span stays open until the retry or dead-letter stage says
 * what happens next and records it as a span event; then it ends.
 */
const deliveries = new WeakMap<object, DeliveryTrace>();

/**
 * Starts the CONSUMER span of one handler attempt: a child of the context the message carries
 * (its headers, else its CloudEvent `traceparent`), or of the previous attempt after an
 * in-place retry; linked to the publish that created the event when that is not the parent.
 * Returns the span and the context to run the attempt in, or undefined without a tracing SDK.
 */
export function startAttemptSpan(delivery: object, info: AttemptInfo): { span: Span; context: Context } | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  let state = deliveries.get(delivery);
  if (!state) deliveries.set(delivery, (state = { parent: extractTraceContext(info.headers, info.envelope.metadata.extensions) }));
  const { envelope } = info;
  const attributes: Attributes = {
    [ATTR.messagingSystem]: VALUE.rabbitmq,
    [ATTR.operationType]: VALUE.process,
    [ATTR.operationName]: VALUE.process,
    [ATTR.destinationName]: info.exchange,
    [ATTR.subscriptionName]: info.queue,
    [ATTR.routingKey]: envelope.type,
    [ATTR.messageId]: envelope.id,
    [ATTR.conversationId]: envelope.metadata.correlationId,
    [ATTR.deliveryTag]: info.deliveryTag,
    [ATTR.bodySize]: info.bodySize,
    [LIB_ATTR.eventType]: envelope.type,
    [LIB_ATTR.attempt]: info.attempt,
  };
  if (envelope.metadata.causationId !== undefined) attributes[LIB_ATTR.causationId] = envelope.metadata.causationId;
  const replays = info.headers?.['x-replay-count'];
  if (typeof replays === 'number' && replays > 0) attributes[LIB_ATTR.replayCount] = replays;
  const span = tracer.startSpan(
    `${VALUE.process} ${info.exchange}`,
    { kind: SpanKind.CONSUMER, attributes, links: creationLink(envelope.metadata.extensions, trace.getSpanContext(state.parent)) },
    state.parent,
  );
  return { span, context: trace.setSpan(state.parent, span) };
}

/** Ends a successful (or held) attempt's span. */
export function endAttemptSpan(span: Span): void {
  span.end();
}

/** Marks an attempt's span failed and keeps it open for the retry or dead-letter verdict. */
export function failAttemptSpan(delivery: object, span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setAttribute(ATTR.errorType, error instanceof Error ? error.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  const state = deliveries.get(delivery);
  if (state) state.failed = span;
  else span.end();
}

/**
 * Trace-context headers for a copy of the delivery sent on after a failed attempt (a retry or
 * a dead letter): they name the failed attempt, so the next attempt, or a replay, is its child.
 * Empty when nothing is traced.
 */
export function failedAttemptHeaders(delivery: object): Record<string, string> {
  const failed = deliveries.get(delivery)?.failed;
  return failed ? injectTraceContext(trace.setSpan(deliveries.get(delivery)!.parent, failed)).headers : {};
}

/**
 * Records what follows a failed attempt (`event_bus.retry`, `event_bus.dead_letter`) on its
 * span and ends it. A retry in place continues under the failed attempt, like a retry through
 * a wait queue does through the headers.
 */
export function settleFailedAttempt(delivery: object, event: string, attributes: Attributes, retryInPlace = false): void {
  const state = deliveries.get(delivery);
  const failed = state?.failed;
  if (!state || !failed) return;
  failed.addEvent(event, attributes);
  failed.end();
  state.failed = undefined;
  if (retryInPlace) state.parent = trace.setSpan(state.parent, failed);
}
