import type { Message, MessagePropertyHeaders } from 'amqplib';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { envelopeFromAttributes, type ExtensionValue } from './cloud-event-attributes';
import { DecodeFailure } from './decode-failure';
import { isJsonMediaType, mediaTypeOf, parseJsonBody } from './json-body';

/**
 * Header prefixes of binary content mode, as written: the AMQP binding's `cloudEvents:` and
 * `cloudEvents_`, and the `ce-` / `ce_` of the HTTP and Kafka bindings that bridges pass on.
 * Header names are compared in lower case. The first prefix with a `specversion` header wins.
 */
const PREFIXES = ['cloudEvents:', 'cloudEvents_', 'ce-', 'ce_'] as const;
const SPECVERSION_HEADERS = PREFIXES.map((p) => `${p.toLowerCase()}specversion`);

/** The prefix of a binary-mode message (the one its `specversion` header uses), or undefined. */
export function binaryModePrefix(headers: MessagePropertyHeaders | undefined): string | undefined {
  if (!headers) return undefined;
  let found = -1;
  for (const name of Object.keys(headers)) {
    const i = SPECVERSION_HEADERS.indexOf(name.toLowerCase());
    if (i >= 0 && (found < 0 || i < found)) found = i;
  }
  return found < 0 ? undefined : PREFIXES[found];
}

/** AMQP 0-9-1 `timestamp` field values (seconds), as amqplib decodes them. */
const isAmqpTimestamp = (v: unknown): v is { '!': 'timestamp'; value: number } =>
  typeof v === 'object' && v !== null && (v as { '!'?: unknown })['!'] === 'timestamp';

/**
 * A header value as an attribute value: byte arrays read as UTF-8 text, AMQP timestamps as
 * ISO-8601 text; tables, arrays, decimals and void give undefined (no CloudEvents type).
 */
function attributeValue(v: unknown): ExtensionValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (isAmqpTimestamp(v)) {
    const ms = Number(v.value) * 1000;
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
  }
  return undefined;
}

/** The attributes carried by headers with `prefix`, by lower-case attribute name. */
function readAttributes(headers: MessagePropertyHeaders, prefix: string): Record<string, ExtensionValue> | DecodeFailure {
  const lower = prefix.toLowerCase();
  const out: Record<string, ExtensionValue> = Object.create(null);
  for (const [header, raw] of Object.entries(headers)) {
    const name = header.toLowerCase();
    if (!name.startsWith(lower) || name.length === lower.length) continue;
    const attribute = name.slice(lower.length);
    const value = attributeValue(raw);
    if (value === undefined) continue;
    if (attribute in out && out[attribute] !== value) {
      return new DecodeFailure(`binary-mode CloudEvent with conflicting ${prefix}${attribute} headers`);
    }
    out[attribute] = value;
  }
  return out;
}

/**
 * The data of a binary-mode message, by its content type: JSON (`application/json`, `+json`)
 * parsed, anything else (no content type included) a copy of the bytes; an empty body is null.
 */
function readData(content: Buffer, contentType: unknown): unknown {
  if (content.length === 0) return null;
  const mediaType = mediaTypeOf(contentType);
  if (!isJsonMediaType(mediaType)) return Buffer.from(content);
  const data = parseJsonBody(content);
  return data instanceof DecodeFailure ? new DecodeFailure(`binary-mode CloudEvent ${data.reason} (content-type ${mediaType})`) : data;
}

const REQUIRED = ['id', 'source', 'type'] as const;

/**
 * A CloudEvent in binary content mode: attributes in headers with `prefix`, the data as the
 * body, `datacontenttype` from the AMQP `content-type` (else a `datacontenttype` header).
 */
export function fromBinaryMode(message: Message, prefix: string): EventEnvelope | DecodeFailure {
  const attributes = readAttributes(message.properties.headers ?? {}, prefix);
  if (attributes instanceof DecodeFailure) return attributes;
  if (attributes.specversion !== '1.0') {
    return new DecodeFailure(`binary-mode CloudEvent with unsupported ${prefix}specversion ${JSON.stringify(attributes.specversion)}`);
  }
  const required: Record<(typeof REQUIRED)[number], string> = { id: '', source: '', type: '' };
  for (const name of REQUIRED) {
    const value = attributes[name];
    if (value === undefined) return new DecodeFailure(`binary-mode CloudEvent without ${prefix}${name}`);
    if (typeof value !== 'string' || value.length === 0) {
      return new DecodeFailure(`binary-mode CloudEvent with an empty or non-text ${prefix}${name}`);
    }
    required[name] = value;
  }
  const data = readData(message.content, message.properties.contentType ?? attributes.datacontenttype);
  if (data instanceof DecodeFailure) return data;
  return envelopeFromAttributes(attributes, required, data);
}
