import { randomUUID } from 'node:crypto';
import { currentCorrelationScope } from '../correlation/correlation-context';
import { DEFAULT_EVENT_VERSION, DEFAULT_SCHEMA_VERSION } from '../event-bus.constants';
import type { EventEnvelope, PublishableEvent } from '../interfaces/event-envelope.interface';

/**
 * Completes an event into an envelope: id, time, source and versions. Inside an HTTP request
 * or a handler, the correlation id is inherited and the handled event becomes the cause;
 * explicit metadata always wins.
 */
export function createEnvelope<T>(event: PublishableEvent<T>, source: string, now = new Date()): EventEnvelope<T> {
  const scope = currentCorrelationScope();
  const id = event.id ?? randomUUID();
  const m = event.metadata ?? {};
  const causationId = m.causationId ?? scope?.eventId;
  const envelope: EventEnvelope<T> = {
    id,
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: m.correlationId ?? scope?.correlationId ?? randomUUID(),
      source,
      timestamp: now.toISOString(),
      version: m.version ?? DEFAULT_EVENT_VERSION,
      schemaVersion: m.schemaVersion ?? DEFAULT_SCHEMA_VERSION,
    },
  };
  if (causationId !== undefined) envelope.metadata.causationId = causationId;
  if (event.key !== undefined) envelope.metadata.key = event.key;
  return envelope;
}
