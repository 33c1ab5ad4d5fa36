import { createHash } from 'node:crypto';
import type { Message } from 'amqplib';
import secureJson from 'secure-json-parse';
import { CLOUDEVENTS_CONTENT_TYPE, DEFAULT_EVENT_VERSION, DEFAULT_SCHEMA_VERSION } from '../event-bus.constants';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/** Why a message could not be turned into an envelope. */
export class DecodeFailure {
  constructor(readonly reason: string) {}
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function fromCloudEvent(body: Json): EventEnvelope | DecodeFailure {
  if (body.specversion !== '1.0') return new DecodeFailure(`unsupported CloudEvents specversion ${JSON.stringify(body.specversion)}`);
  const id = optionalString(body.id);
  const type = optionalString(body.type);
  const source = optionalString(body.source);
  if (!id || !type || !source) return new DecodeFailure('CloudEvent without id, type or source');
  return {
    id,
    type,
    data: body.data,
    metadata: {
      correlationId: optionalString(body.correlationid) ?? id,
      causationId: optionalString(body.causationid),
      source,
      timestamp: optionalString(body.time) ?? new Date().toISOString(),
      version: optionalString(body.eventversion) ?? DEFAULT_EVENT_VERSION,
      schemaVersion: optionalString(body.schemaversion) ?? DEFAULT_SCHEMA_VERSION,
      key: optionalString(body.partitionkey),
    },
  };
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

const SAFE_PARSE = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * Reads a delivered message: a CloudEvent in structured JSON mode, or a plain JSON message
 * from another producer. Returns a `DecodeFailure` (never throws) for anything else.
 */
export function decodeEvent(message: Message): EventEnvelope | DecodeFailure {
  let body: unknown;
  try {
    // secure-json-parse refuses `__proto__` and `constructor.prototype` keys, so no payload can
    // pollute prototypes further down (merges, class-transformer); its fast path is a regex
    // pre-check, so clean bodies cost what JSON.parse costs.
    body = secureJson.parse(message.content, undefined, SAFE_PARSE);
  } catch (err) {
    const polluting = (err as Error).message.includes('forbidden prototype property');
    return new DecodeFailure(
      polluting ? 'body carries a __proto__ or constructor.prototype key (prototype pollution)' : 'body is not valid JSON',
    );
  }
  const declaredCloudEvent = message.properties.contentType === CLOUDEVENTS_CONTENT_TYPE;
  if (isObject(body) && (declaredCloudEvent || 'specversion' in body)) return fromCloudEvent(body);
  if (declaredCloudEvent) return new DecodeFailure('content-type says CloudEvent but the body is not an object');
  return fromForeignMessage(message, body);
}
