import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { SubscriptionRegistry } from './consuming/subscription-registry';
import { HandlerInvokerFactory } from './discovery/handler-invoker.factory';
import { EVENT_BUS_STATE } from './event-bus.constants';
import type { EventEnvelope, PublishableEvent, PublishOptions } from './interfaces/event-envelope.interface';
import type { EventHandler, SubscribeOptions, Subscription } from './interfaces/subscribe-options.interface';
import { EventPublisher } from './publishing/event-publisher';
import type { EventBusState } from './state/event-bus-state.interface';

/**
 * Publishes events and subscribes handlers. Inject it anywhere once `EventBusModule` is
 * imported (the module is global by default). A facade: publishing, subscriptions and the
 * cache each live in their own service.
 */
@Injectable()
export class EventBus implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly registry: SubscriptionRegistry,
    private readonly invokers: HandlerInvokerFactory,
    @Inject(EVENT_BUS_STATE) private readonly state: EventBusState,
  ) {}

  /**
   * Publishes an event to the events exchange (routing key = type) and resolves with the
   * complete envelope once the broker has confirmed it. Persistent unless
   * `{ persistent: false }`; with `{ cache: true }` also stored as the latest of its type.
   * While the broker is unreachable the publish waits, bounded by `rabbitmq.publishTimeout`
   * and `rabbitmq.maxPendingPublishes`.
   *
   * @throws InvalidEventError before anything is sent, for an event that cannot be published
   * @throws PublishNackError, PublishTimeoutError, PublishBufferFullError, EventBusClosedError
   */
  publish<T>(event: PublishableEvent<T>, options: PublishOptions = {}): Promise<EventEnvelope<T>> {
    return this.publisher.publish(event, options);
  }

  /**
   * The latest event of `type` (or of one `key` of it) published with `{ cache: true }`,
   * from Redis; `null` when none is cached (never published, or older than `eventTTL`).
   */
  getLatest<T>(type: string, key?: string): Promise<EventEnvelope<T> | null> {
    return this.state.cache.read<T>(type, key);
  }

  /**
   * Binds a handler to events of `type` and starts consuming. Durable by default: the queue
   * `<serviceName>.<type>` (or `options.queue`) keeps events while the service is down.
   * Resolves once the queue is declared and consumed.
   */
  subscribe<T>(type: string, handler: EventHandler<T>, options: SubscribeOptions = {}): Promise<Subscription> {
    return this.registry.subscribe({
      type,
      options,
      handlerName: typeof handler === 'function' && handler.name ? `subscribe(${handler.name})` : `subscribe(${type})`,
      resolveHandler: () =>
        typeof handler === 'function'
          ? this.invokers.forFunction(handler as EventHandler)
          : Promise.reject(new Error(`EventBus.subscribe(${JSON.stringify(type)}): handler must be a function`)),
    });
  }

  /** Shutdown, step 1: stop consuming, let handlers finish, then settle pending publishes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.registry.stopAll();
    await this.publisher.drain();
  }

  /** Shutdown, step 2: close channels and the connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}
