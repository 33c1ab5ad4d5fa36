import type { Message, MessagePropertyHeaders } from 'amqplib';
import { FAILURE_HEADERS, retryCountOf, retryHistoryOf } from '../wire/failure-headers';
import { queueOfDeadLetterQueue } from '../topology/queue-naming';
import type { DeadLetter } from './dead-letter.interface';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString() : undefined);

/** The broker's own dead-lettering record (`x-death`), for messages rejected without our headers. */
function firstDeath(headers: MessagePropertyHeaders | undefined): { reason?: string; queue?: string; routingKey?: string } {
  const deaths = headers?.['x-death'];
  const first = Array.isArray(deaths) ? (deaths[0] as unknown as Record<string, unknown>) : undefined;
  const keys = first?.['routing-keys'];
  return { reason: text(first?.reason), queue: text(first?.queue), routingKey: Array.isArray(keys) ? text(keys[0]) : undefined };
}

/** A header or property value as plain data: byte arrays as UTF-8 text, tables and arrays copied through. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(plain);
  return value !== null && typeof value === 'object' ? plainTable(value) : value;
}

/** A field table (headers, `x-death` entries) with every value made {@link plain}. */
function plainTable(table: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, plain(value)]));
}

/** The properties that are set, without the headers (amqplib lists every property, unset ones as `undefined`). */
function setProperties(properties: Message['properties']): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([key, value]) => key !== 'headers' && value !== undefined && value !== null)
      .map(([key, value]) => [key, plain(value)]),
  );
}

/** The event id of a dead letter (its AMQP `messageId`), `'(none)'` without one; cheaper than reading it whole. */
export function deadLetterIdOf(message: Message): string {
  return text(message.properties.messageId) ?? '(none)';
}

/** Reads a dead letter's headers and properties into a `DeadLetter`. */
export function readDeadLetter(message: Message, dlq: string): DeadLetter {
  const p = message.properties;
  const h = p.headers ?? {};
  const death = firstDeath(h);
  const history = retryHistoryOf(h);
  const replayCount = Number(h[FAILURE_HEADERS.replayCount]);
  return {
    eventId: deadLetterIdOf(message),
    type: text(p.type) ?? text(h[FAILURE_HEADERS.originalRoutingKey]) ?? death.routingKey ?? message.fields.routingKey,
    error: text(h[FAILURE_HEADERS.error]) ?? (death.reason ? `rejected (${death.reason})` : 'unknown'),
    errorName: text(h[FAILURE_HEADERS.errorName]) ?? 'Error',
    attempts: h[FAILURE_HEADERS.retryCount] !== undefined ? retryCountOf(h) + 1 : Math.max(1, history.length),
    failedAt: text(h[FAILURE_HEADERS.failedAt]),
    correlationId: text(p.correlationId),
    originalQueue: text(h[FAILURE_HEADERS.originalQueue]) ?? death.queue ?? queueOfDeadLetterQueue(dlq),
    replayCount: Number.isInteger(replayCount) ? replayCount : 0,
    history,
    body: message.content.toString('utf8'),
    headers: plainTable(h),
    properties: setProperties(p),
  };
}
