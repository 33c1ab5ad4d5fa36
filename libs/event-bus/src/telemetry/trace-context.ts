import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type SpanContext,
  type TextMapGetter,
} from '@opentelemetry/api';

/** W3C Trace Context header / CloudEvents extension names (distributed-tracing extension). */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** Trace-context fields a publish writes: AMQP headers, and the CloudEvent's extension attributes. */
export interface TraceCarrier {
  /** Every field the registered propagator wrote (W3C: `traceparent`, `tracestate`; B3 or others too). */
  headers: Record<string, string>;
  /** `traceparent` for the CloudEvents distributed-tracing extension, when the propagator wrote one. */
  traceparent?: string;
  /** `tracestate` for the extension, when present. */
  tracestate?: string;
}

/**
 * W3C `traceparent`: version 00, 32 hex trace id, 16 hex parent id, 2 hex flags, all lower case;
 * later versions may append fields after a dash. The all-zero ids are invalid.
 */
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Whether `value` is a usable `traceparent`. A malformed one is ignored (the consumer starts a
 * new trace), never an error: it comes from another process, and a bad header must not cost
 * an event.
 */
export function isValidTraceparent(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TRACEPARENT_PATTERN.exec(value.trim());
  if (!m) return false;
  const [, version, traceId, spanId, , rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return false;
  return !/^0+$/.test(traceId) && !/^0+$/.test(spanId);
}

/** Header values as text: amqplib hands byte arrays over as Buffers. */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return undefined;
  },
};

/** The trace context of the active span, as the registered propagator writes it. */
export function injectTraceContext(ctx: Context = context.active()): TraceCarrier {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  const carrier: TraceCarrier = { headers };
  if (isValidTraceparent(headers[TRACEPARENT])) {
    carrier.traceparent = headers[TRACEPARENT];
    if (headers[TRACESTATE]) carrier.tracestate = headers[TRACESTATE];
  }
  return carrier;
}

/**
 * The context a delivery continues: from the AMQP headers (the hop that sent this copy), else
 * from the CloudEvent's `traceparent`/`tracestate` extension. A malformed `traceparent` is
 * dropped before the propagator sees it, so the handler starts a new trace.
 */
export function extractTraceContext(headers: Record<string, unknown> | undefined, extensions?: Record<string, unknown>): Context {
  // A delivery continues only what the message carries, never whatever happens to be active here.
  const root = ROOT_CONTEXT;
  if (headers && isValidTraceparent(headerGetter.get(headers, TRACEPARENT))) {
    const extracted = propagation.extract(root, headers, headerGetter);
    if (trace.getSpanContext(extracted)) return extracted;
  }
  if (extensions && isValidTraceparent(extensions[TRACEPARENT])) {
    const carrier: Record<string, unknown> = { [TRACEPARENT]: extensions[TRACEPARENT] };
    if (typeof extensions[TRACESTATE] === 'string') carrier[TRACESTATE] = extensions[TRACESTATE];
    return propagation.extract(root, carrier, headerGetter);
  }
  return root;
}

/**
 * A link to the context the event was created in (its CloudEvent `traceparent` extension) when
 * that is not the parent already: after a retry or a replay the parent is the failed attempt,
 * and the link still leads back to the original publish.
 */
export function creationLink(extensions: Record<string, unknown> | undefined, parent: SpanContext | undefined): Link[] | undefined {
  if (!extensions || !isValidTraceparent(extensions[TRACEPARENT])) return undefined;
  const created = trace.getSpanContext(extractTraceContext(undefined, extensions));
  if (!created || (parent && created.spanId === parent.spanId && created.traceId === parent.traceId)) return undefined;
  return [{ context: created }];
}
