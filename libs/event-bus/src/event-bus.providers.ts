import type { Provider } from '@nestjs/common';
import { BrokerConnection } from './amqp/broker-connection';
import { RabbitMqTransport } from './amqp/rabbitmq-transport';
import { AsyncApiDocumentService } from './asyncapi/asyncapi-document.service';
import { RabbitMqConsumerFactory } from './consuming/rabbitmq-consumer-factory';
import { SubscriptionRegistry } from './consuming/subscription-registry';
import { DeadLetterService } from './dead-letters/dead-letter.service';
import { RabbitMqDeadLetterStore } from './dead-letters/rabbitmq-dead-letter-store';
import { EventHandlerExplorer } from './discovery/event-handler.explorer';
import { EventMetadataAccessor } from './discovery/event-metadata.accessor';
import { HandlerInvokerFactory } from './discovery/handler-invoker.factory';
import {
  EVENT_BUS_AMQP_CONNECTION,
  EVENT_BUS_CONSUMER_FACTORY,
  EVENT_BUS_DEAD_LETTER_STORE,
  EVENT_BUS_REDIS,
  EVENT_BUS_RESOLVED_OPTIONS,
  EVENT_BUS_STATE,
  EVENT_BUS_SUBSCRIPTIONS,
  EVENT_BUS_TRANSPORT,
} from './event-bus.constants';
import { EVENT_BUS_OPTIONS } from './event-bus.module-definition';
import { EventBus } from './event-bus.service';
import { DeadLetterMonitor } from './monitoring/dead-letter-monitor';
import { EventBusHealthIndicator } from './monitoring/event-bus-health.indicator';
import { EventBusMetrics } from './monitoring/event-bus-metrics';
import { QueueHealthService } from './monitoring/queue-health.service';
import type { ResolvedEventBusOptions } from './options/resolved-options';
import { validateEventBusOptions } from './options/validate-options';
import { EventPublisher } from './publishing/event-publisher';
import type { RedisClient } from './redis/redis-client';
import { createRedisConnection } from './redis/redis-connection.factory';
import type { EventBusState } from './state/event-bus-state.interface';
import { RedisFreeState } from './state/redis-free-state';
import { RedisState } from './state/redis-state';
import { EventBusStats } from './stats/event-bus-stats';

/**
 * Every provider of the bus that does not depend on what carries events or keeps state: the
 * publisher, the registry and consume chain, handler discovery, dead letters and monitoring.
 * `EventBusModule` and `EventBusTestingModule` both use this list and differ only in the swap
 * points they provide (`EVENT_BUS_TRANSPORT`, `EVENT_BUS_CONSUMER_FACTORY`, `EVENT_BUS_STATE`,
 * `EVENT_BUS_DEAD_LETTER_STORE`).
 */
export const EVENT_BUS_CORE_PROVIDERS: Provider[] = [
  EventBusStats,
  EventPublisher,
  SubscriptionRegistry,
  { provide: EVENT_BUS_SUBSCRIPTIONS, useExisting: SubscriptionRegistry },
  HandlerInvokerFactory,
  EventMetadataAccessor,
  EventHandlerExplorer,
  EventBus,
  DeadLetterService,
  DeadLetterMonitor,
  QueueHealthService,
  EventBusHealthIndicator,
  EventBusMetrics,
  AsyncApiDocumentService,
];

/** The public services, exported by both modules. */
export const EVENT_BUS_EXPORTS = [
  EventBus,
  DeadLetterService,
  QueueHealthService,
  EventBusHealthIndicator,
  EventBusMetrics,
  AsyncApiDocumentService,
];

/**
 * The production swap points: RabbitMQ carries events, Redis keeps state. Connections are
 * opened in async factories, so a wrong URL or password fails while the application is built.
 */
export const RABBITMQ_REDIS_PROVIDERS: Provider[] = [
  {
    provide: EVENT_BUS_RESOLVED_OPTIONS,
    useFactory: (options: unknown) => validateEventBusOptions(options),
    inject: [EVENT_BUS_OPTIONS],
  },
  {
    provide: EVENT_BUS_AMQP_CONNECTION,
    useFactory: (options: ResolvedEventBusOptions) => BrokerConnection.open(options),
    inject: [EVENT_BUS_RESOLVED_OPTIONS],
  },
  {
    provide: EVENT_BUS_REDIS,
    // After the broker connection, so a Redis failure can close it: Nest runs no shutdown
    // hooks for an application that failed to build, and an open connection would keep
    // the process alive.
    useFactory: async (options: ResolvedEventBusOptions, amqp: BrokerConnection) => {
      if (!options.redis) return null; // runs without Redis
      try {
        return await createRedisConnection(options);
      } catch (err) {
        await amqp.close().catch(() => undefined);
        throw err;
      }
    },
    inject: [EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_AMQP_CONNECTION],
  },
  { provide: EVENT_BUS_TRANSPORT, useClass: RabbitMqTransport },
  { provide: EVENT_BUS_CONSUMER_FACTORY, useClass: RabbitMqConsumerFactory },
  {
    provide: EVENT_BUS_STATE,
    useFactory: (options: ResolvedEventBusOptions, redis: RedisClient | null): EventBusState =>
      options.redis && redis ? new RedisState(options, redis) : new RedisFreeState(),
    inject: [EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_REDIS],
  },
  { provide: EVENT_BUS_DEAD_LETTER_STORE, useClass: RabbitMqDeadLetterStore },
];
