import { Inject, Injectable } from '@nestjs/common';
import type { Message, Options } from 'amqplib';
import { EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { EventTransport, OutgoingEvent, QueueDepth } from '../transport/event-transport.interface';
import { DecodeFailure, decodeEvent } from '../wire/event-decoder';
import { EventBusTestHarness } from './event-bus-test-harness';
import { InMemoryBroker } from './in-memory-broker';

/** Publishes into the in-memory broker; every publish is "confirmed" at once. */
@Injectable()
export class InMemoryTransport implements EventTransport {
  readonly pendingPublishes = 0;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    private readonly broker: InMemoryBroker,
    private readonly harness: EventBusTestHarness,
  ) {}

  async publish(event: OutgoingEvent): Promise<void> {
    this.broker.publish(this.options.rabbitmq.exchange, event.envelope.type, event.body, event.properties);
    // The harness records what a consumer would read (dates as strings, no undefined fields),
    // not the caller's objects, which the caller may still change.
    const decoded = decodeEvent({
      content: event.body,
      properties: event.properties,
      fields: { routingKey: event.envelope.type },
    } as unknown as Message);
    this.harness.recordPublished(decoded instanceof DecodeFailure ? event.envelope : decoded);
  }

  async send(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> {
    this.broker.publish(exchange, routingKey, body, properties);
  }

  setFlushGate(): void {}

  async whenIdle(): Promise<void> {}

  isConnected(): boolean {
    return true;
  }

  async queueDepths(queues: readonly string[]): Promise<Map<string, QueueDepth | undefined>> {
    const b = this.broker;
    return new Map(queues.map((q) => [q, b.hasQueue(q) ? { messages: b.depth(q), consumers: b.consumerCount(q) } : undefined]));
  }

  async close(): Promise<void> {}
}
