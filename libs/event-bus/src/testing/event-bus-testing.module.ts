import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventConsumerFactory } from '../consuming/event-consumer-factory';
import { SubscriptionRegistry } from '../consuming/subscription-registry';
import { EventHandlerExplorer } from '../discovery/event-handler.explorer';
import { EventMetadataAccessor } from '../discovery/event-metadata.accessor';
import { HandlerInvokerFactory } from '../discovery/handler-invoker.factory';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_RETRY_WAIT } from '../event-bus.constants';
import { EventBus } from '../event-bus.service';
import type { EventBusOptions } from '../interfaces/event-bus-options.interface';
import { EventBusStats } from '../monitoring/event-bus-stats';
import { validateEventBusOptions } from '../options/validate-options';
import { EventTransport } from '../publishing/event-transport';
import { RedisState } from '../redis/redis-state';
import { EventBusTestHarness } from './event-bus-test-harness';
import { InMemoryBroker } from './in-memory-broker';
import { InMemoryConsumerFactory } from './in-memory-consumer-factory';
import { InMemoryState } from './in-memory-state';
import { InMemoryTransport } from './in-memory-transport';

/** Options of the testing module: the bus's own, all optional (no broker or Redis is contacted). */
export type EventBusTestingOptions = Partial<Omit<EventBusOptions, 'rabbitmq' | 'redis'>> & {
  rabbitmq?: Partial<EventBusOptions['rabbitmq']>;
  redis?: Partial<EventBusOptions['redis']>;
};

/**
 * A drop-in replacement for `EventBusModule` in unit tests: the same `EventBus` API and
 * `@OnEvent` binding, the same consume chain (validation, retries, dead-lettering,
 * idempotency) over an in-memory broker and ledger, with no real waiting between retries.
 * Inject `EventBusTestHarness` to see and await what happened.
 *
 * ```ts
 * const moduleRef = await Test.createTestingModule({
 *   imports: [EventBusTestingModule.forRoot({ serviceName: 'email' })],
 *   providers: [WelcomeEmailHandler],
 * }).compile();
 * const app = await moduleRef.createNestApplication().init();
 * ```
 */
@Module({})
export class EventBusTestingModule {
  static forRoot(options: EventBusTestingOptions = {}): DynamicModule {
    const resolved = validateEventBusOptions({
      serviceName: 'test-service',
      ...options,
      rabbitmq: { url: 'amqp://in-memory', exchange: 'events', deadLetterExchange: 'events.dlx', ...options.rabbitmq },
      redis: { url: 'redis://in-memory', ...options.redis },
    });
    return {
      module: EventBusTestingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: EVENT_BUS_RESOLVED_OPTIONS, useValue: resolved },
        { provide: EVENT_BUS_RETRY_WAIT, useValue: () => Promise.resolve() },
        InMemoryBroker,
        EventBusTestHarness,
        { provide: EventTransport, useClass: InMemoryTransport },
        { provide: RedisState, useClass: InMemoryState },
        { provide: EventConsumerFactory, useClass: InMemoryConsumerFactory },
        EventBusStats,
        SubscriptionRegistry,
        HandlerInvokerFactory,
        EventMetadataAccessor,
        EventHandlerExplorer,
        EventBus,
      ],
      exports: [EventBus, EventBusTestHarness],
    };
  }
}
