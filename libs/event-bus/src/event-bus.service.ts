import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { EventBusClosedError } from './errors/event-bus-closed.error';
import { InvalidEventError } from './errors/invalid-event.error';
import { EVENT_BUS_RESOLVED_OPTIONS } from './event-bus.constants';
import type { EventEnvelope, PublishableEvent, PublishOptions } from './interfaces/event-envelope.interface';
import type { EventHandler, SubscribeOptions, Subscription } from './interfaces/subscribe-options.interface';
import { HandlerInvokerFactory } from './discovery/handler-invoker.factory';
import { SubscriptionRegistry } from './consuming/subscription-registry';
import { subscribeOptionProblems } from './options/validate-options';
import type { ResolvedEventBusOptions } from './options/resolved-options';
import { createEnvelope } from './publishing/envelope-factory';
import { EventTransport } from './publishing/event-transport';
import { publishableEventProblems } from './publishing/publishable-event.check';
import { defaultQueueName, eventTypeProblem } from './topology/queue-naming';
import { encodeEvent } from './wire/cloud-event.codec';
import { EventBusLogger } from './logging/event-bus-logger';
import { RedisState } from './redis/redis-state';
import { EventBusStats } from './monitoring/event-bus-stats';
import { validateEventData } from './validation/validate-event-data';
import { hasPrototypePollutionKeys } from './wire/event-decoder';

/**
 * Publishes events and subscribes handlers. Inject it anywhere once `EventBusModule` is
 * imported (the module is global by default).
 */
@Injectable()
export class EventBus implements BeforeApplicationShutdown, OnApplicationShutdown {
  private closing = false;
  private readonly logger: EventBusLogger;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    private readonly transport: EventTransport,
    private readonly registry: SubscriptionRegistry,
    private readonly invokers: HandlerInvokerFactory,
    private readonly state: RedisState,
    private readonly stats: EventBusStats,
  ) {
    this.logger = new EventBusLogger('EventBus', options.secrets);
  }

  /**
   * Publishes an event to the events exchange (routing key = type) and resolves with the
   * complete envelope once the broker has confirmed it. Persistent unless
   * `{ persistent: false }`. While the broker is unreachable the publish waits, bounded by
   * `rabbitmq.publishTimeout` and `rabbitmq.maxPendingPublishes`.
   *
   * @throws InvalidEventError before anything is sent, for an event that cannot be published
   * @throws PublishNackError, PublishTimeoutError, PublishBufferFullError, EventBusClosedError
   */
  async publish<T>(event: PublishableEvent<T>, options: PublishOptions = {}): Promise<EventEnvelope<T>> {
    if (this.closing) throw new EventBusClosedError('publish');
    const problems = publishableEventProblems(event);
    if (problems.length > 0) throw new InvalidEventError(String((event as { type?: unknown })?.type), problems);
    const envelope = createEnvelope(event, this.options.serviceName);
    let encoded;
    try {
      encoded = encodeEvent(envelope, options.persistent !== false);
    } catch (err) {
      throw new InvalidEventError(event.type, [`data is not JSON-serialisable: ${(err as Error).message}`]);
    }
    const schema = this.options.schemas[event.type];
    if (schema) {
      const result = await validateEventData(schema, event.data);
      if (!result.ok) throw new InvalidEventError(event.type, result.problems);
    }
    if (hasPrototypePollutionKeys(encoded.body)) {
      throw new InvalidEventError(event.type, ['data carries a __proto__ or constructor.prototype key']);
    }
    if (encoded.body.length > this.options.maxMessageBytes) {
      throw new InvalidEventError(event.type, [
        `encoded event is ${encoded.body.length} bytes, over the ${this.options.maxMessageBytes}-byte limit (maxMessageBytes)`,
      ]);
    }
    await this.transport.publish(envelope.type, encoded.body, encoded.properties);
    this.stats.published(envelope.type);
    if (options.cache) await this.writeCache(envelope);
    return envelope;
  }

  /**
   * The latest event of `type` (or of one `key` of it) published with `{ cache: true }`,
   * from Redis; `null` when none is cached (never published, or older than `eventTTL`).
   */
  getLatest<T>(type: string, key?: string): Promise<EventEnvelope<T> | null> {
    return this.state.cache.read<T>(type, key);
  }

  /** The event is confirmed already: a cache failure is logged, never turned into a failed publish. */
  private async writeCache(envelope: EventEnvelope): Promise<void> {
    try {
      await this.state.cache.write(envelope);
    } catch (err) {
      this.logger.warn('Event published but not cached', { eventId: envelope.id, type: envelope.type, error: (err as Error).message });
    }
  }

  /**
   * Binds a handler to events of `type` and starts consuming. Durable by default: the queue
   * `<serviceName>.<type>` (or `options.queue`) keeps events while the service is down.
   * Resolves once the queue is declared and consumed.
   */
  async subscribe<T>(type: string, handler: EventHandler<T>, options: SubscribeOptions = {}): Promise<Subscription> {
    const problems = [eventTypeProblem(type), ...subscribeOptionProblems(options as Record<string, unknown>, 'options')]
      .filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new Error(`EventBus.subscribe(${JSON.stringify(type)}): ${problems.join('; ')}`);
    if (typeof handler !== 'function') throw new Error(`EventBus.subscribe(${JSON.stringify(type)}): handler must be a function`);
    return this.registry.register({
      type,
      options,
      queue: options.queue ?? defaultQueueName(this.options.serviceName, type),
      handlerName: handler.name ? `subscribe(${handler.name})` : `subscribe(${type})`,
      handler: await this.invokers.forFunction(handler as EventHandler),
    });
  }

  /** Shutdown, step 1: stop consuming, let handlers finish, then settle pending publishes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.registry.stopAll();
    this.closing = true;
    const pending = this.transport.pendingPublishes;
    if (pending > 0) this.logger.log(`Waiting for ${pending} publish confirm(s) before closing`);
    await this.transport.whenIdle();
  }

  /** Shutdown, step 2: close channels and the connection. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.transport.close();
  }
}
