import { Inject, Injectable } from '@nestjs/common';
import type { Options } from 'amqplib';
import { EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { EventTransport, OutgoingEvent, QueueDepth } from '../transport/event-transport.interface';
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
    this.harness.recordPublished(event.envelope);
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
