import { InvalidEventError } from '../errors/invalid-event.error';
import type { EventEnvelope, PublishableEvent } from '../interfaces/event-envelope.interface';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import { createEnvelope } from '../publishing/envelope-factory';
import { publishableEventProblems } from '../publishing/publishable-event.check';
import { validateEventData } from '../validation/validate-event-data';
import { encodeEvent } from '../wire/cloud-event.encoder';
import { hasPrototypeKeys } from '../wire/prototype-keys';

/** What the outbox needs of the bus's options to build a message exactly as `publish()` would. */
export interface OutboxMessageSettings {
  serviceName: string;
  exchange: string;
  schemas: Record<string, ClassConstructor>;
  maxMessageBytes: number;
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
  const problems = publishableEventProblems(event);
  if (problems.length > 0) throw new InvalidEventError(String((event as { type?: unknown })?.type), problems);
  const schema = Object.hasOwn(settings.schemas, event.type) ? settings.schemas[event.type] : undefined;
  if (schema) {
    const result = await validateEventData(schema, event.data).catch((err: Error) => ({
      ok: false as const,
      problems: [`data could not be checked against ${schema.name}: ${err.message} (is it JSON-serialisable?)`],
    }));
    if (!result.ok) throw new InvalidEventError(event.type, result.problems);
  }
  const envelope = createEnvelope(event, settings.serviceName);
  let encoded: ReturnType<typeof encodeEvent>;
  try {
    encoded = encodeEvent(envelope, persistent);
  } catch (err) {
    throw new InvalidEventError(envelope.type, [`data is not JSON-serialisable: ${(err as Error).message}`]);
  }
  if (hasPrototypeKeys(envelope.data, encoded.body)) {
    throw new InvalidEventError(envelope.type, ['data carries a __proto__ or constructor.prototype key']);
  }
  if (encoded.body.length > settings.maxMessageBytes) {
    throw new InvalidEventError(envelope.type, [
      `encoded event is ${encoded.body.length} bytes, over the ${settings.maxMessageBytes}-byte limit (maxMessageBytes)`,
    ]);
  }
  return {
    envelope,
    exchange: settings.exchange,
    routingKey: envelope.type,
    partitionKey: envelope.metadata.key ?? null,
    body: encoded.body,
    propertiesJson: JSON.stringify(encoded.properties),
  };
}
