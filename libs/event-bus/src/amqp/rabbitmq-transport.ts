import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfirmChannel, Options } from 'amqplib';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import { EventBusClosedError } from '../errors/event-bus-closed.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { assertExchanges } from '../topology/topology-declarer';
import type { EventTransport, OutgoingEvent, QueueDepth } from '../transport/event-transport.interface';
import type { BrokerConnection } from './broker-connection';
import { ConfirmPublisher } from './confirm-publisher';
import { ManagedChannel } from './managed-channel';
import { queueDepths } from './temporary-channel';

/** Longest a reconnect holds publishes back while consumers re-declare their queues. */
const GATE_TIMEOUT_MS = 5_000;

/**
 * The RabbitMQ transport: one confirm channel for every publish of this service (no channel
 * per publish), with the exchanges declared on each (re)connect; queue depths from passive
 * declares on throwaway channels.
 */
@Injectable()
export class RabbitMqTransport implements EventTransport, OnModuleInit {
  private readonly channel: ManagedChannel<ConfirmChannel>;
  private readonly publisher: ConfirmPublisher;
  private gate: () => Promise<void> = () => Promise.resolve();

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: BrokerConnection,
  ) {
    const { exchange, deadLetterExchange, publishTimeout, maxPendingPublishes } = options.rabbitmq;
    this.channel = new ManagedChannel<ConfirmChannel>(connection, {
      name: 'publisher',
      confirm: true,
      logger: new EventBusLogger('EventBus:Publisher', options.secrets),
      setup: (channel) => assertExchanges(channel, exchange, deadLetterExchange),
      onOpen: (channel) => void this.release(channel),
    });
    this.publisher = new ConfirmPublisher(this.channel, { timeoutMs: publishTimeout, maxPending: maxPendingPublishes });
  }

  /** Publishes wait at most `GATE_TIMEOUT_MS` for the gate: a consumer that cannot declare its queue must not stop publishing. */
  setFlushGate(gate: () => Promise<void>): void {
    this.gate = gate;
  }

  private async release(channel: ConfirmChannel): Promise<void> {
    this.publisher.gated = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.gate().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, GATE_TIMEOUT_MS)))]);
    clearTimeout(timer);
    this.publisher.gated = false;
    if (this.channel.current === channel) this.publisher.flush(channel);
  }

  /** Opens the publisher channel (declaring the exchanges) before anything publishes or binds. */
  async onModuleInit(): Promise<void> {
    await this.channel.start();
  }

  /** Publishes to the events exchange, routing key = the event's type; resolves on the broker's confirm. */
  publish(event: OutgoingEvent): Promise<void> {
    return this.publisher.publish(this.options.rabbitmq.exchange, event.envelope.type, event.body, event.properties, event.envelope.id);
  }

  /** Publishes to any exchange (`''` for a queue by name); resolves on the broker's confirm. */
  send(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish, eventId?: string): Promise<void> {
    return this.publisher.publish(exchange, routingKey, body, properties, eventId);
  }

  /** Publishes waiting for a confirm. */
  get pendingPublishes(): number {
    return this.publisher.pendingCount;
  }

  /** Waits until every publish has settled (each is bounded by its own timeout). */
  whenIdle(): Promise<void> {
    return this.publisher.whenIdle();
  }

  /** Whether the broker connection is up. */
  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /** Depths from passive declares on a throwaway channel (no management plugin needed). */
  queueDepths(queues: readonly string[]): Promise<Map<string, QueueDepth | undefined>> {
    return queueDepths(this.connection, queues);
  }

  /** Fails what is still pending, then closes the channel and the connection. */
  async close(): Promise<void> {
    this.publisher.failAll(new EventBusClosedError('confirm the publish'));
    await this.channel.close();
    await this.connection.close();
  }
}
