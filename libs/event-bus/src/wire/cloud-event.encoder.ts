import type { Options } from 'amqplib';
import { CLOUDEVENTS_CONTENT_TYPE, PARTITION_KEY_HEADER } from '../event-bus.constants';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/** A CloudEvents 1.0 event in JSON structured mode, as this library writes it (docs/wire-format.md §1-2). */
export interface CloudEventJson {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
  correlationid: string;
  causationid?: string;
  partitionkey?: string;
  eventversion: string;
  schemaversion: string;
  /** W3C trace context of the publish (CloudEvents distributed-tracing extension); only while tracing. */
  traceparent?: string;
  tracestate?: string;
}

/**
 * Trace context of a traced publish (docs/wire-format.md §8): the propagator's fields go to the
 * AMQP headers, and `traceparent`/`tracestate` to the CloudEvent as extension attributes.
 */
export interface WireTraceContext {
  headers: Record<string, string>;
  traceparent?: string;
  tracestate?: string;
}

/** An envelope turned into what goes on the wire. */
export interface EncodedEvent {
  body: Buffer;
  properties: Options.Publish;
}

/** Maps an envelope (and the trace context of its publish, if traced) to its CloudEvent attributes. */
export function toCloudEvent(envelope: EventEnvelope, trace?: WireTraceContext): CloudEventJson {
  const m = envelope.metadata;
  const event: CloudEventJson = {
    specversion: '1.0',
    id: envelope.id,
    source: m.source,
    type: envelope.type,
    time: m.timestamp,
    datacontenttype: 'application/json',
    data: envelope.data,
    correlationid: m.correlationId,
    eventversion: m.version,
    schemaversion: m.schemaVersion,
  };
  if (m.causationId !== undefined) event.causationid = m.causationId;
  if (m.key !== undefined) event.partitionkey = m.key;
  if (trace?.traceparent !== undefined) event.traceparent = trace.traceparent;
  if (trace?.tracestate !== undefined) event.tracestate = trace.tracestate;
  return event;
}

const q = JSON.stringify;

/**
 * The JSON text of `toCloudEvent(envelope)`, written directly: publishing is a hot path, and
 * stringifying only the payload (plus a few strings) skips building an object per event.
 * @throws TypeError when the data cannot be serialised (cycles, BigInt)
 */
export function serializeCloudEvent(envelope: EventEnvelope, trace?: WireTraceContext): string {
  const m = envelope.metadata;
  let json =
    `{"specversion":"1.0","id":${q(envelope.id)},"source":${q(m.source)},"type":${q(envelope.type)},` +
    `"time":${q(m.timestamp)},"datacontenttype":"application/json","data":${q(envelope.data) ?? 'null'},` +
    `"correlationid":${q(m.correlationId)}`;
  if (m.causationId !== undefined) json += `,"causationid":${q(m.causationId)}`;
  if (m.key !== undefined) json += `,"partitionkey":${q(m.key)}`;
  json += `,"eventversion":${q(m.version)},"schemaversion":${q(m.schemaVersion)}`;
  if (trace?.traceparent !== undefined) json += `,"traceparent":${q(trace.traceparent)}`;
  if (trace?.tracestate !== undefined) json += `,"tracestate":${q(trace.tracestate)}`;
  return `${json}}`;
}

/** Which AMQP properties carry an event besides its body (`rabbitmq.messageProperties`). */
export type MessagePropertiesMode = 'mirrored' | 'minimal';

/** The AMQP properties that repeat a CloudEvent's attributes (`'mirrored'`). */
export function mirroredProperties(envelope: EventEnvelope): Options.Publish {
  return {
    messageId: envelope.id,
    correlationId: envelope.metadata.correlationId,
    type: envelope.type,
    appId: envelope.metadata.source,
    timestamp: Math.floor(Date.parse(envelope.metadata.timestamp) / 1000),
  };
}

/**
 * Serialises an envelope as a CloudEvent. With `'mirrored'` properties (the default) its
 * attributes are repeated in the AMQP properties, so consumers in any language can route and
 * trace it without parsing the body; with `'minimal'` only the content type and delivery mode
 * are set, which the broker decodes faster (docs/wire-format.md §2.1). A traced publish also
 * carries its trace context as headers, a keyed one its key (`x-partition-key`); any other
 * carries no headers.
 */
export function encodeEvent(
  envelope: EventEnvelope,
  persistent: boolean,
  trace?: WireTraceContext,
  mode: MessagePropertiesMode = 'mirrored',
): EncodedEvent {
  const body = Buffer.from(serializeCloudEvent(envelope, trace));
  // Object literals, not spreads: spreading one object into another costs microseconds per
  // publish (docs/benchmarks.md, "Where the time goes").
  const m = envelope.metadata;
  const properties: Options.Publish =
    mode === 'minimal'
      ? { contentType: CLOUDEVENTS_CONTENT_TYPE, persistent }
      : {
          messageId: envelope.id,
          correlationId: m.correlationId,
          type: envelope.type,
          appId: m.source,
          timestamp: Math.floor(Date.parse(m.timestamp) / 1000),
          contentType: CLOUDEVENTS_CONTENT_TYPE,
          persistent,
        };
  const traceHeaders = trace && Object.keys(trace.headers).length > 0 ? trace.headers : undefined;
  if (traceHeaders || m.key !== undefined) {
    const headers: Record<string, string> = {};
    if (traceHeaders) for (const name of Object.keys(traceHeaders)) headers[name] = traceHeaders[name];
    if (m.key !== undefined) headers[PARTITION_KEY_HEADER] = m.key;
    properties.headers = headers;
  }
  const encoded: EncodedEvent = { body, properties };
  return encoded;
}
