import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfirmChannel, Options } from 'amqplib';
import { ConfirmPublisher } from '../amqp/confirm-publisher';
import { ManagedChannel } from '../amqp/managed-channel';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import { EventBusClosedError } from '../errors/event-bus-closed.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { assertExchanges } from '../topology/topology-declarer';

/** Longest a reconnect holds publishes back while consumers re-declare their queues. */
const GATE_TIMEOUT_MS = 5_000;

/**
 * The publishing side of the broker connection: one confirm channel for every publish of
 * this service (no channel per publish), with the exchanges declared on each (re)connect.
 */
@Injectable()
export class EventTransport implements OnModuleInit {
  private readonly channel: ManagedChannel<ConfirmChannel>;
  private readonly publisher: ConfirmPublisher;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: AmqpConnection,
  ) {
    const { exchange, deadLetterExchange, publishTimeout, maxPendingPublishes } = options.rabbitmq;
    this.channel = new ManagedChannel<ConfirmChannel>(connection.managedConnection, {
      name: 'publisher',
      confirm: true,
      logger: new EventBusLogger('EventBus:Publisher', options.secrets),
      setup: (channel) => assertExchanges(channel, exchange, deadLetterExchange),
      onOpen: (channel) => void this.release(channel),
    });
    this.publisher = new ConfirmPublisher(this.channel, { timeoutMs: publishTimeout, maxPending: maxPendingPublishes });
  }

  private gate: () => Promise<void> = () => Promise.resolve();

  /**
   * Makes publishes after each (re)connect wait for `gate` (the consumers' topology), at
   * most `GATE_TIMEOUT_MS`: a consumer that cannot declare its queue must not stop publishing.
   */
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

  /** Publishes to the events exchange; resolves on the broker's confirm. */
  publish(routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> {
    return this.publisher.publish(this.options.rabbitmq.exchange, routingKey, body, properties);
  }

  /** Publishes to any exchange (`''` for a queue by name); resolves on the broker's confirm. */
  send(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> {
    return this.publisher.publish(exchange, routingKey, body, properties);
  }

  /** Publishes waiting for a confirm. */
  get pendingPublishes(): number {
    return this.publisher.pendingCount;
  }

  /** Waits until every publish has settled (each is bounded by its own timeout). */
  whenIdle(): Promise<void> {
    return this.publisher.whenIdle();
  }

  /** Closes the channel and the connection. */
  async close(): Promise<void> {
    this.publisher.failAll(new EventBusClosedError('confirm the publish'));
    await this.channel.close();
    await this.connection.close();
  }
}
