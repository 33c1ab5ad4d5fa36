import type { Options } from 'amqplib';

/** A claimed outbox row, ready to send. */
export interface OutboxRow {
  id: string;
  eventId: string;
  exchange: string;
  routingKey: string;
  partitionKey: string | null;
  body: Buffer;
  properties: Options.Publish;
  attempts: number;
}

/** AMQP properties the library writes, with the type each must have. */
const PROPERTY_TYPES: Record<string, 'string' | 'number' | 'boolean' | 'object'> = {
  messageId: 'string',
  correlationId: 'string',
  type: 'string',
  appId: 'string',
  timestamp: 'number',
  contentType: 'string',
  contentEncoding: 'string',
  persistent: 'boolean',
  headers: 'object',
};

/**
 * Reads a row as the relay claimed it. A row that cannot be sent as it is (edited by hand,
 * written by another tool) can never become sendable by waiting: it is reported, and the relay
 * marks it dead instead of retrying it forever.
 * @returns the row, or a string saying what is wrong with it
 */
export function decodeOutboxRow(raw: Record<string, unknown>): OutboxRow | string {
  const { id, event_id, exchange, routing_key, partition_key, body, properties, attempts } = raw;
  if (typeof id !== 'string') return 'id is not readable';
  if (typeof event_id !== 'string' || event_id === '') return 'event_id is empty';
  if (typeof exchange !== 'string') return 'exchange is not a string';
  if (typeof routing_key !== 'string' || routing_key === '') return 'routing_key is empty';
  if (partition_key !== null && typeof partition_key !== 'string') return 'partition_key is not text';
  if (!Buffer.isBuffer(body) || body.length === 0) return 'body is empty';
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return 'properties is not a JSON object';
  for (const [key, value] of Object.entries(properties)) {
    const expected = PROPERTY_TYPES[key];
    if (!expected) return `properties.${key} is not an AMQP property the library sends`;
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (actual !== expected) return `properties.${key} should be a ${expected}, not ${actual}`;
  }
  return {
    id,
    eventId: event_id,
    exchange,
    routingKey: routing_key,
    partitionKey: partition_key,
    body,
    properties: properties as Options.Publish,
    attempts: typeof attempts === 'number' ? attempts : 0,
  };
}
