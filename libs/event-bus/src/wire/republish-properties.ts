import type { Message } from 'amqplib';
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
