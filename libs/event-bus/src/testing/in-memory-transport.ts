import { Inject, Injectable } from '@nestjs/common';
import type { Message, Options } from 'amqplib';
import { EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { EventTransport } from '../publishing/event-transport';
import { DecodeFailure, decodeEvent } from '../wire/event-decoder';
import { EventBusTestHarness } from './event-bus-test-harness';
import { InMemoryBroker } from './in-memory-broker';

/** Publishes into the in-memory broker; every publish is "confirmed" at once. */
@Injectable()
export class InMemoryTransport implements Pick<EventTransport, 'publish' | 'send' | 'pendingPublishes' | 'whenIdle' | 'close' | 'setFlushGate'> {
  readonly pendingPublishes = 0;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    private readonly broker: InMemoryBroker,
    private readonly harness: EventBusTestHarness,
  ) {}

  async publish(routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> {
    this.broker.publish(this.options.rabbitmq.exchange, routingKey, body, properties);
    const envelope = decodeEvent({ content: body, properties, fields: { routingKey } } as unknown as Message);
    if (!(envelope instanceof DecodeFailure)) this.harness.recordPublished(envelope);
  }

  async send(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> {
    this.broker.publish(exchange, routingKey, body, properties);
  }

  setFlushGate(): void {}

  async whenIdle(): Promise<void> {}

  async close(): Promise<void> {}
}
