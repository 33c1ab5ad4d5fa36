import type { Message } from 'amqplib';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { mirroredProperties } from './cloud-event.encoder';
import { FAILURE_HEADERS } from './failure-headers';

/** The routing key the event was first published with (the retry hop replaces it). */
export function originalRoutingKey(message: Message): string {
  const header = message.properties.headers?.[FAILURE_HEADERS.originalRoutingKey];
  return typeof header === 'string' ? header : message.fields.routingKey;
}

/** The AMQP properties worth keeping when a message is re-published. */
export function copyProperties(message: Message): Record<string, unknown> {
  // Copies on the failure path are always persistent: they must outlive a broker restart.
  const p = message.properties;
  const out: Record<string, unknown> = { persistent: true };
  for (const key of ['contentType', 'contentEncoding', 'correlationId', 'messageId', 'timestamp', 'type', 'appId'] as const) {
    if (p[key] !== undefined && p[key] !== null) out[key] = p[key];
  }
  return out;
}

/**
 * For a message published without mirrored properties (`messageProperties: 'minimal'`): the
 * event's id, type, source, correlation id and time as AMQP properties, so its dead letter is
 * listed, found and replayed by id like any other. Empty when the message has a `messageId`
 * or was never decoded.
 */
export function missingIdentityProperties(message: Message, envelope: EventEnvelope | undefined): Record<string, unknown> {
  if (!envelope || message.properties.messageId !== undefined) return {};
  return { ...mirroredProperties(envelope) };
}
