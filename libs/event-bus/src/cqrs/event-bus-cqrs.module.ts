import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsBridgeService } from './cqrs-bridge.service';
import { EVENT_BUS_CQRS_OPTIONS } from './event-bus-cqrs.constants';
import { resolveBridgedEvents, type EventBusCqrsOptions } from './event-bus-cqrs.options';

/**
 * Bridges `@nestjs/cqrs` events through the bus (`nestjs-event-bus/cqrs`): the listed CQRS
 * event classes, published on the CQRS `EventBus`, go out through RabbitMQ and come back
 * into the CQRS `EventBus` of every service that bridges them, where `@EventsHandler`s and
 * sagas run. Needs `EventBusModule` and `CqrsModule.forRoot()` (both global).
 *
 * @example
 * imports: [EventBusModule.forRoot(options), CqrsModule.forRoot(), EventBusCqrsModule.forRoot({ events: [UserRegisteredEvent] })]
 */
@Module({})
export class EventBusCqrsModule {
  /** Bridges the given event classes; options are checked here, every problem named at once. */
  static forRoot(options: EventBusCqrsOptions): DynamicModule {
    resolveBridgedEvents(options);
    return {
      module: EventBusCqrsModule,
      providers: [{ provide: EVENT_BUS_CQRS_OPTIONS, useValue: options }, CqrsBridgeService],
    };
  }
}
