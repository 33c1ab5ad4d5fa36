import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  EVENT_BUS_CONSUMER_FACTORY,
  EVENT_BUS_DEAD_LETTER_STORE,
  EVENT_BUS_RESOLVED_OPTIONS,
  EVENT_BUS_RETRY_WAIT,
  EVENT_BUS_STATE,
  EVENT_BUS_TRANSPORT,
} from '../event-bus.constants';
import { EVENT_BUS_CORE_PROVIDERS, EVENT_BUS_EXPORTS } from '../event-bus.providers';
import type { EventBusOptions } from '../interfaces/event-bus-options.interface';
import { validateEventBusOptions } from '../options/validate-options';
import { EventBusTestHarness } from './event-bus-test-harness';
import { InMemoryBroker } from './in-memory-broker';
import { InMemoryConsumerFactory } from './in-memory-consumer-factory';
import { InMemoryDeadLetterStore } from './in-memory-dead-letter-store';
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
 * Every public service of the bus resolves (`DeadLetterService` works on the in-memory
 * dead-letter queues). Inject `EventBusTestHarness` to see and await what happened.
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
      // A placeholder URL unless the test names a Sentinel or Cluster setup (only one may be given).
      redis: options.redis?.sentinel || options.redis?.cluster ? options.redis : { url: 'redis://in-memory', ...options.redis },
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
        { provide: EVENT_BUS_TRANSPORT, useClass: InMemoryTransport },
        { provide: EVENT_BUS_CONSUMER_FACTORY, useClass: InMemoryConsumerFactory },
        { provide: EVENT_BUS_STATE, useClass: InMemoryState },
        { provide: EVENT_BUS_DEAD_LETTER_STORE, useClass: InMemoryDeadLetterStore },
        ...EVENT_BUS_CORE_PROVIDERS,
      ],
      exports: [...EVENT_BUS_EXPORTS, EventBusTestHarness],
    };
  }
}
