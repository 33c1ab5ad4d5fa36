import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createAmqpConnection } from './amqp/amqp-connection.factory';
import { EventConsumerFactory } from './consuming/event-consumer-factory';
import { SubscriptionRegistry } from './consuming/subscription-registry';
import { EventHandlerExplorer } from './discovery/event-handler.explorer';
import { EventMetadataAccessor } from './discovery/event-metadata.accessor';
import { HandlerInvokerFactory } from './discovery/handler-invoker.factory';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_REDIS, EVENT_BUS_RESOLVED_OPTIONS } from './event-bus.constants';
import { createRedisConnection } from './redis/redis-connection.factory';
import { RedisState } from './redis/redis-state';
import { DeadLetterMonitor } from './monitoring/dead-letter-monitor';
import { EventBusHealthIndicator } from './monitoring/event-bus-health.indicator';
import { EventBusMetrics } from './monitoring/event-bus-metrics';
import { EventBusStats } from './monitoring/event-bus-stats';
import { QueueHealthService } from './monitoring/queue-health.service';
import { ConfigurableEventBusModule, EVENT_BUS_OPTIONS } from './event-bus.module-definition';
import { EventBus } from './event-bus.service';
import { DeadLetterService } from './dead-letters/dead-letter.service';
import { validateEventBusOptions } from './options/validate-options';
import type { ResolvedEventBusOptions } from './options/resolved-options';
import { EventTransport } from './publishing/event-transport';

/**
 * The event bus. Import once, in the root module:
 *
 * ```ts
 * EventBusModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ serviceName: 'auth', rabbitmq: {...}, redis: {...} }),
 * })
 * ```
 * Options are validated while the application is built; the broker connection is opened
 * then too, so a wrong URL or password fails the start.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: EVENT_BUS_RESOLVED_OPTIONS,
      useFactory: (options: unknown) => validateEventBusOptions(options),
      inject: [EVENT_BUS_OPTIONS],
    },
    {
      provide: EVENT_BUS_AMQP_CONNECTION,
      useFactory: (options: ResolvedEventBusOptions) => createAmqpConnection(options),
      inject: [EVENT_BUS_RESOLVED_OPTIONS],
    },
    {
      provide: EVENT_BUS_REDIS,
      // After the broker connection, so a Redis failure can close it: Nest runs no shutdown
      // hooks for an application that failed to build, and an open connection would keep
      // the process alive.
      useFactory: async (options: ResolvedEventBusOptions, amqp: AmqpConnection) => {
        try {
          return await createRedisConnection(options);
        } catch (err) {
          await amqp.close().catch(() => undefined);
          throw err;
        }
      },
      inject: [EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_AMQP_CONNECTION],
    },
    RedisState,
    EventBusStats,
    EventTransport,
    EventConsumerFactory,
    SubscriptionRegistry,
    HandlerInvokerFactory,
    EventMetadataAccessor,
    EventHandlerExplorer,
    EventBus,
    DeadLetterService,
    DeadLetterMonitor,
    QueueHealthService,
    EventBusHealthIndicator,
    EventBusMetrics,
  ],
  exports: [EventBus, DeadLetterService, QueueHealthService, EventBusHealthIndicator, EventBusMetrics],
})
export class EventBusModule extends ConfigurableEventBusModule {}
