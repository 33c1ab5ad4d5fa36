import { createHash } from 'node:crypto';
import type { Message } from 'amqplib';
import { CLOUDEVENTS_CONTENT_TYPE, DEFAULT_EVENT_VERSION, DEFAULT_SCHEMA_VERSION } from '../event-bus.constants';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { binaryModePrefix, fromBinaryMode } from './binary-mode';
import { envelopeFromAttributes, optionalString } from './cloud-event-attributes';
import { DecodeFailure } from './decode-failure';
import { mediaTypeOf, parseJsonBody } from './json-body';

export { DecodeFailure } from './decode-failure';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 4648 base64, standard alphabet, padding optional. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `data`, or the bytes of `data_base64` (a Buffer); both at once, or bad base64, is a failure. */
function structuredData(body: Json): unknown {
  const encoded = body.data_base64;
  if (encoded === undefined || encoded === null) return body.data;
  if ('data' in body) return new DecodeFailure('CloudEvent with both data and data_base64');
  if (typeof encoded !== 'string' || !BASE64.test(encoded) || encoded.length % 4 === 1) {
    return new DecodeFailure('CloudEvent data_base64 is not valid base64');
  }
  return Buffer.from(encoded, 'base64');
}

function fromCloudEvent(body: Json): EventEnvelope | DecodeFailure {
  if (body.specversion !== '1.0') return new DecodeFailure(`unsupported CloudEvents specversion ${JSON.stringify(body.specversion)}`);
  const id = optionalString(body.id);
  const type = optionalString(body.type);
  const source = optionalString(body.source);
  if (!id || !type || !source) return new DecodeFailure('CloudEvent without id, type or source');
  const data = structuredData(body);
  if (data instanceof DecodeFailure) return data;
  return envelopeFromAttributes(body, { id, type, source }, data);
}

/**
 * A plain JSON message from a foreign producer: the body is the data, the AMQP `type` (or
 * the routing key) names the event. Without a `messageId` the id is a hash of the body, so a
 * redelivery of the same bytes is still recognised as a duplicate.
 */
function fromForeignMessage(message: Message, body: unknown): EventEnvelope | DecodeFailure {
  const p = message.properties;
  // A message back from a retry wait queue arrives with the queue name as routing key.
  const originalKey = optionalString(p.headers?.['x-original-routing-key']);
  const type = optionalString(p.type) ?? originalKey ?? optionalString(message.fields.routingKey);
  if (!type) return new DecodeFailure('plain JSON message without an AMQP type or routing key');
  const id = optionalString(p.messageId) ?? `sha256:${createHash('sha256').update(message.content).digest('hex')}`;
  // AMQP timestamps are seconds; a producer sending ms or ns would give an invalid date.
  const ms = typeof p.timestamp === 'number' ? p.timestamp * 1000 : NaN;
  const sentAt = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms) : new Date();
  return {
    id,
    type,
    data: body,
    metadata: {
      correlationId: optionalString(p.correlationId) ?? id,
      source: optionalString(p.appId) ?? 'unknown',
      timestamp: sentAt.toISOString(),
      version: DEFAULT_EVENT_VERSION,
      schemaVersion: DEFAULT_SCHEMA_VERSION,
    },
  };
}

/**
 * Reads a delivered message (docs/wire-format.md §3): a CloudEvent in structured JSON mode, a
 * CloudEvent in binary mode (attributes in headers), or a plain JSON message from another
 * producer. Returns a `DecodeFailure` (never throws) for anything else.
 */
export function decodeEvent(message: Message): EventEnvelope | DecodeFailure {
  const mediaType = mediaTypeOf(message.properties.contentType);
  // A `application/cloudevents...` content type means structured mode whatever the headers say.
  if (!mediaType.startsWith('application/cloudevents')) {
    const prefix = binaryModePrefix(message.properties.headers);
    if (prefix !== undefined) return fromBinaryMode(message, prefix);
  }
  const body = parseJsonBody(message.content);
  if (body instanceof DecodeFailure) return body;
  const declaredCloudEvent = mediaType === CLOUDEVENTS_CONTENT_TYPE;
  if (isObject(body) && (declaredCloudEvent || 'specversion' in body)) return fromCloudEvent(body);
  if (declaredCloudEvent) return new DecodeFailure('content-type says CloudEvent but the body is not an object');
  return fromForeignMessage(message, body);
}
