import type { Options } from 'amqplib';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/**
 * Sends a message to an exchange (`''`: a queue by name) and resolves on the broker's
 * confirm; how the retry and dead-letter stages re-route deliveries.
 */
/** Sends one message and resolves on the broker's confirm; `eventId` names it in errors (default: its `messageId`). */
export type ConfirmedSend = (
  exchange: string,
  routingKey: string,
  body: Buffer,
  properties: Options.Publish,
  eventId?: string,
) => Promise<void>;

/** An event ready to leave: its envelope, and the exact bytes and properties that carry it. */
export interface OutgoingEvent {
  readonly envelope: EventEnvelope;
  readonly body: Buffer;
  readonly properties: Options.Publish;
}

/** Ready messages and consumers of a queue. */
export interface QueueDepth {
  /** Messages ready for delivery (not counting those delivered and unacked). */
  messages: number;
  /** Consumers attached. */
  consumers: number;
}

/**
 * Swap point (`EVENT_BUS_TRANSPORT`): everything the bus asks of the broker besides consuming.
 * RabbitMQ in production (`RabbitMqTransport`), an in-memory broker under `EventBusTestingModule`.
 */
export interface EventTransport {
  /** Publishes an event to the events exchange, routing key = its type; resolves on the broker's confirm. */
  publish(event: OutgoingEvent): Promise<void>;
  /** Publishes any message to any exchange; resolves on the broker's confirm. */
  send: ConfirmedSend;
  /**
   * Makes publishes after each (re)connect wait for `gate` (the consumers' queues declared
   * again), so nothing is routed to a queue that is not there yet.
   */
  setFlushGate(gate: () => Promise<void>): void;
  /** Publishes waiting for a confirm. */
  readonly pendingPublishes: number;
  /** Resolves when every publish made so far has settled. */
  whenIdle(): Promise<void>;
  /** Whether the broker is reachable now. */
  isConnected(): boolean;
  /** Depths of queues; a queue that does not exist reports `undefined`. */
  queueDepths(queues: readonly string[]): Promise<Map<string, QueueDepth | undefined>>;
  /** Fails what is still pending and closes the connection. */
  close(): Promise<void>;
}
