import { InvalidEventError } from '../errors/invalid-event.error';
import type { EventEnvelope, PublishableEvent } from '../interfaces/event-envelope.interface';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import { validateEventData } from '../validation/validate-event-data';
import { encodeEvent, type EncodedEvent, type MessagePropertiesMode, type WireTraceContext } from '../wire/cloud-event.encoder';
import { hasPrototypeKeys } from '../wire/prototype-keys';
import { publishableEventProblems } from './publishable-event.check';

/**
 * The checks an event passes before anything is sent or stored, shared by `publish()` and the
 * outbox so both refuse the same events: its shape, then its type's DTO (from `schemas`).
 * Returns a promise only when there is a DTO to check (validation is asynchronous): an event
 * without one is checked with no promise to wait for, which `publish()` skips on its hot path.
 * @throws InvalidEventError (the shape synchronously, the DTO through the promise)
 */
export function checkOutgoingEvent(event: PublishableEvent, schemas: Record<string, ClassConstructor>): Promise<void> | undefined {
  const problems = publishableEventProblems(event);
  if (problems.length > 0) throw new InvalidEventError(String((event as { type?: unknown })?.type), problems);
  const schema = Object.hasOwn(schemas, event.type) ? schemas[event.type] : undefined;
  return schema ? checkAgainstDto(event, schema) : undefined;
}

/** Validates the event's data against its DTO. */
async function checkAgainstDto(event: PublishableEvent, schema: ClassConstructor): Promise<void> {
  let result: Awaited<ReturnType<typeof validateEventData>>;
  try {
    result = await validateEventData(schema, event.data);
  } catch (err) {
    // class-transformer recurses without bounds: cyclic data overflows the stack here.
    throw new InvalidEventError(event.type, [
      `data could not be checked against ${schema.name}: ${(err as Error).message} (is it JSON-serialisable?)`,
    ]);
  }
  if (!result.ok) throw new InvalidEventError(event.type, result.problems);
}

/** How `encodeOutgoingEvent` encodes and what it refuses. */
export interface OutgoingEncoding {
  persistent: boolean;
  maxMessageBytes: number;
  /** Trace context of a traced publish. */
  trace?: WireTraceContext;
  /** AMQP properties besides the body (`rabbitmq.messageProperties`); default `'mirrored'`. */
  messageProperties?: MessagePropertiesMode;
}

/**
 * Encodes an envelope for the wire and refuses what consumers would refuse (prototype keys, size),
 * so it never ends up only as a dead letter. Shared by `publish()` and the outbox: what the relay
 * sends is byte for byte what a direct publish sends.
 * @throws InvalidEventError
 */
export function encodeOutgoingEvent(envelope: EventEnvelope, encoding: OutgoingEncoding): EncodedEvent {
  let encoded: EncodedEvent;
  try {
    encoded = encodeEvent(envelope, encoding.persistent, encoding.trace, encoding.messageProperties);
  } catch (err) {
    throw new InvalidEventError(envelope.type, [`data is not JSON-serialisable: ${(err as Error).message}`]);
  }
  if (hasPrototypeKeys(envelope.data, encoded.body)) {
    throw new InvalidEventError(envelope.type, ['data carries a __proto__ or constructor.prototype key']);
  }
  const limit = encoding.maxMessageBytes;
  if (encoded.body.length > limit) {
    throw new InvalidEventError(envelope.type, [
      `encoded event is ${encoded.body.length} bytes, over the ${limit}-byte limit (maxMessageBytes)`,
    ]);
  }
  return encoded;
}
