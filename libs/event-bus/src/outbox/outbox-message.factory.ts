import type { EventEnvelope, PublishableEvent } from '../interfaces/event-envelope.interface';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import { createEnvelope } from '../publishing/envelope-factory';
import { checkOutgoingEvent, encodeOutgoingEvent } from '../publishing/outgoing-event';

/** What the outbox needs of the bus's options to build a message exactly as `publish()` would. */
export interface OutboxMessageSettings {
  serviceName: string;
  exchange: string;
  schemas: Record<string, ClassConstructor>;
  maxMessageBytes: number;
  /** `rabbitmq.messageProperties` of the bus. */
  messageProperties: 'mirrored' | 'minimal';
}

/** One outbox row's content: the envelope, and the exact bytes and properties the relay will send. */
export interface OutboxMessage {
  envelope: EventEnvelope;
  exchange: string;
  routingKey: string;
  partitionKey: string | null;
  body: Buffer;
  /** AMQP publish properties, as JSON text for the `jsonb` column. */
  propertiesJson: string;
}

/**
 * Builds an outbox message through the same steps and refusals as `EventBus.publish()`: the
 * event's shape, its type's DTO, the envelope (correlation inherited), the CloudEvents encoder,
 * the prototype-key and size guards. So what the relay sends later is byte for byte what a
 * direct publish would have sent, and what a direct publish would refuse is refused now,
 * before the caller's transaction holds it.
 * @throws InvalidEventError
 */
export async function buildOutboxMessage<T>(
  event: PublishableEvent<T>,
  settings: OutboxMessageSettings,
  persistent: boolean,
): Promise<OutboxMessage> {
  await checkOutgoingEvent(event, settings.schemas);
  const envelope = createEnvelope(event, settings.serviceName);
  const encoded = encodeOutgoingEvent(envelope, {
    persistent,
    maxMessageBytes: settings.maxMessageBytes,
    messageProperties: settings.messageProperties,
  });
  return {
    envelope,
    exchange: settings.exchange,
    routingKey: envelope.type,
    partitionKey: envelope.metadata.key ?? null,
    body: encoded.body,
    propertiesJson: JSON.stringify(encoded.properties),
  };
}
