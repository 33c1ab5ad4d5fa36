import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_RETRY_WAIT } from '../event-bus.constants';
import { EventBusClosedError } from '../errors/event-bus-closed.error';
import { SubscriptionConflictError } from '../errors/subscription-conflict.error';
import type { EventHandler, SubscribeOptions, Subscription } from '../interfaces/subscribe-options.interface';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { EventTransport } from '../publishing/event-transport';
import { RedisState } from '../redis/redis-state';
import { EventBusStats } from '../monitoring/event-bus-stats';
import { deadLetterQueueName, instanceQueueName } from '../topology/queue-naming';
import { buildConsumePipeline } from './consume-pipeline.factory';
import { EventConsumerFactory, type ConsumerHandle } from './event-consumer-factory';
import type { SubscriptionSpec } from './subscription-spec';

/** A handler about to be bound. */
export interface SubscriptionRequest {
  type: string;
  options: SubscribeOptions;
  /** Durable queue name (already resolved: override, default or per-handler). */
  queue: string;
  handlerName: string;
  handler: EventHandler;
}

/** Owns this service's consumers: binds them, refuses two on one queue, stops them on shutdown. */
@Injectable()
export class SubscriptionRegistry {
  private readonly consumers = new Map<string, ConsumerHandle>();
  private readonly instanceId = randomBytes(4).toString('hex');
  private readonly logger: EventBusLogger;
  private closed = false;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    private readonly factory: EventConsumerFactory,
    private readonly transport: EventTransport,
    private readonly state: RedisState,
    private readonly stats: EventBusStats,
    @Optional() @Inject(EVENT_BUS_RETRY_WAIT) private readonly retryWait?: (ms: number) => Promise<void>,
  ) {
    this.logger = new EventBusLogger('EventBus:Consumer', options.secrets);
    // After a (re)connect, buffered publishes go out only once the queues are back.
    transport.setFlushGate(async () => {
      await Promise.all([...this.consumers.values()].map((c) => c.ready()));
    });
  }

  /** Declares the queue and starts consuming; rejects on a conflicting or refused declaration. */
  async register(request: SubscriptionRequest): Promise<Subscription> {
    if (this.closed) throw new EventBusClosedError('subscribe');
    const spec = this.specOf(request);
    const existing = this.consumers.get(spec.queue);
    if (existing) throw new SubscriptionConflictError(spec.queue, [existing.spec.handlerName, spec.handlerName]);
    const pipeline = buildConsumePipeline(spec, {
      options: this.options,
      send: (exchange, routingKey, body, properties) => this.transport.send(exchange, routingKey, body, properties),
      logger: this.logger,
      ledger: this.state.ledger,
      stats: this.stats,
      wait: this.retryWait,
    });
    const consumer = this.factory.create(spec, {
      logger: this.logger,
      pipeline: pipeline.run,
      retryDelays: pipeline.retryDelays,
      report: (queue, outcome) => this.stats.consumed(queue, outcome),
    });
    this.consumers.set(spec.queue, consumer);
    try {
      await consumer.start();
    } catch (err) {
      this.consumers.delete(spec.queue);
      await consumer.stop(0);
      throw err;
    }
    this.logger.log(`${spec.handlerName} consumes ${spec.type} from ${spec.queue}`);
    if (request.options.useCache) await this.catchUp(consumer);
    return {
      queue: spec.queue,
      unsubscribe: async () => {
        if (this.consumers.get(spec.queue) !== consumer) return;
        this.consumers.delete(spec.queue);
        await consumer.stop(this.options.shutdownTimeout);
      },
    };
  }

  /** `useCache`: hands the subscription the cached latest events of its type first (SPEC §6.3). */
  private async catchUp(consumer: ConsumerHandle): Promise<void> {
    try {
      const cached = await this.state.cache.readAll(consumer.spec.type);
      await consumer.catchUp(cached);
    } catch (err) {
      // The queue still delivers every event published from now on; only the head start is lost.
      this.logger.warn(`Could not read cached ${consumer.spec.type} events for ${consumer.spec.queue}: ${(err as Error).message}`);
    }
  }

  /** The subscriptions bound now. */
  subscriptions(): SubscriptionSpec[] {
    return [...this.consumers.values()].map((c) => c.spec);
  }

  /** Stops every consumer: no new messages, in-flight handlers finish (bounded). */
  async stopAll(): Promise<void> {
    this.closed = true;
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(consumers.map((c) => c.stop(this.options.shutdownTimeout)));
  }

  private specOf(request: SubscriptionRequest): SubscriptionSpec {
    const durable = request.options.durable !== false;
    const ordered = request.options.ordered === true;
    return {
      type: request.type,
      queue: durable ? request.queue : instanceQueueName(request.queue, this.instanceId),
      deadLetterQueue: deadLetterQueueName(request.queue),
      options: request.options,
      durable,
      prefetch: ordered ? 1 : (request.options.prefetch ?? this.options.rabbitmq.prefetch),
      handlerName: request.handlerName,
      handler: request.handler,
    };
  }
}
