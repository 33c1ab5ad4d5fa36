import { setMaxListeners } from 'node:events';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { BrokerConnection } from '../amqp/broker-connection';
import { ManagedChannel } from '../amqp/managed-channel';
import { AckCoalescer } from './ack-coalescer';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { encodeEvent } from '../wire/cloud-event.encoder';
import { declarationChannels } from '../amqp/declaration-channels';
import { declareConsumerTopology } from '../topology/consumer-topology';
import { assertExchanges } from '../topology/topology-declarer';
import type { ConsumerParts } from './consumer-factory.interface';
import type { ConsumerHandle } from './consumer-handle';
import { InFlightTracker } from './in-flight-tracker';
import { createInboundEvent } from './inbound-event.factory';
import { settleAfterChain, type DeliverySettlement } from './delivery-settlement';
import type { BoundSubscription } from './bound-subscription';

/** What a RabbitMQ consumer needs besides its subscription and its parts. */
export interface EventConsumerDeps extends ConsumerParts {
  connection: BrokerConnection;
  exchange: string;
  deadLetterExchange: string;
  queueType: 'classic' | 'quorum';
  /** `x-delivery-limit` of durable quorum queues. */
  deliveryLimit: number;
}

/** A stop signal that every held message may listen to (hundreds at once are normal, not a leak). */
function createStopSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * Consumes one subscription's queue on its own channel (a channel error in one handler's
 * consumer does not disturb the others). Declares the queue on every (re)connect and
 * resumes consuming by itself. Each message is acked on the channel that delivered it; if
 * that channel is gone the broker has already requeued the message.
 */
export class EventConsumer implements ConsumerHandle {
  private readonly channel: ManagedChannel<Channel>;
  private readonly running = new InFlightTracker();
  /** Settles the deliveries of each channel (acks of one turn go out together). */
  private readonly settlers = new WeakMap<Channel, AckCoalescer>();
  private consumerTag?: string;
  private stopping = false;
  private readonly stopSignal = createStopSignal();
  private readonly report = (outcome: ConsumeOutcome) => this.deps.report(this.spec.queue, outcome);

  constructor(
    readonly spec: BoundSubscription,
    private readonly deps: EventConsumerDeps,
  ) {
    this.channel = new ManagedChannel<Channel>(deps.connection, {
      name: `consumer ${spec.queue}`,
      confirm: false,
      logger: deps.logger,
      setup: (channel) => this.setup(channel),
    });
  }

  /** Declares the topology and starts consuming; rejects on a declaration the broker refuses. */
  start(): Promise<void> {
    return this.channel.start();
  }

  /** Deliveries being handled now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves once the channel is open with the queue declared and consumed. */
  async ready(): Promise<void> {
    await this.channel.ready();
  }

  /** Stops taking messages, waits (bounded) for handlers in progress, closes the channel. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const channel = this.channel.current;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    this.stopSignal.abort();
    const drained = await this.running.drain(timeoutMs);
    if (!drained) {
      this.deps.logger.warn(
        `Stopped ${this.spec.queue} with ${this.running.size} handler(s) still running; the broker will redeliver their events`,
      );
    }
    // Acks waiting for the end of the turn must leave before the channel closes, or the broker
    // would requeue messages whose handlers have finished.
    const current = this.channel.current;
    if (current) this.flushAcks(current);
    await this.channel.close();
  }

  private async setup(channel: Channel): Promise<void> {
    const { spec, deps } = this;
    // Idempotent, and makes the binding below independent of the publisher channel's setup.
    await assertExchanges(channel, deps.exchange, deps.deadLetterExchange);
    await declareConsumerTopology(
      channel,
      {
        queue: spec.queue,
        durable: spec.durable,
        queueType: deps.queueType,
        ordered: spec.options.ordered === true,
        deadLetterExchange: deps.deadLetterExchange,
        deadLetterQueue: spec.deadLetterQueue,
        deliveryLimit: deps.deliveryLimit,
      },
      { exchange: deps.exchange, type: spec.type, retryDelays: deps.retryDelays },
      declarationChannels(deps.connection, deps.logger),
    );
    await channel.prefetch(spec.prefetch);
    if (this.stopping) return;
    const { consumerTag } = await channel.consume(spec.queue, (message) => this.onMessage(channel, message), {
      noAck: false,
    });
    this.consumerTag = consumerTag;
  }

  /**
   * Runs cached events through the same chain as queue deliveries (`useCache`), oldest
   * first. The ledger skips those already handled, and makes the later queue copy a no-op.
   */
  async catchUp(envelopes: readonly EventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      if (this.stopping) return;
      const { body, properties } = encodeEvent(envelope, true);
      const message = {
        content: body,
        fields: { deliveryTag: 0, redelivered: false, exchange: this.deps.exchange, routingKey: envelope.type, consumerTag: '' },
        properties: { ...properties, headers: {} },
      } as unknown as ConsumeMessage;
      await this.running.track(() => this.process(undefined, message));
    }
  }

  private onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (queue deleted); a fresh channel redeclares it.
      this.deps.logger.warn(`Consumer of ${this.spec.queue} was cancelled by the broker; re-declaring the queue`);
      void channel.close().catch(() => undefined);
      return;
    }
    this.settlerFor(channel).delivered(message);
    void this.running.track(() => this.process(channel, message));
  }

  private settlerFor(channel: Channel): AckCoalescer {
    let settler = this.settlers.get(channel);
    if (!settler) {
      settler = new AckCoalescer(channel);
      this.settlers.set(channel, settler);
    }
    return settler;
  }

  private flushAcks(channel: Channel): void {
    try {
      this.settlers.get(channel)?.flush();
    } catch {
      // Closed already: the broker has requeued what it had not seen acked.
    }
  }

  /** Runs one message through the chain and settles it (`channel` undefined: a cached event, nothing to settle). */
  private async process(channel: Channel | undefined, message: ConsumeMessage): Promise<void> {
    const event = createInboundEvent(message, this.spec, this.stopSignal.signal, this.report);
    this.settle(channel, message, await settleAfterChain(this.deps.pipeline, event, message, this.spec, this.deps.logger));
  }

  private settle(channel: Channel | undefined, message: ConsumeMessage, how: DeliverySettlement): void {
    if (!channel) return;
    try {
      const settler = this.settlerFor(channel);
      if (how === 'ack') settler.ack(message);
      else settler.nack(message, how === 'requeue');
    } catch {
      // The delivering channel closed meanwhile: the broker requeued the message and the
      // ledger recognises it when it comes back.
    }
  }
}
