import { Inject, Injectable, Logger, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { EventBus as CqrsEventBus, type IEvent } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { NonRetryableError } from '../errors/non-retryable.error';
import { EventBus } from '../event-bus.service';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { BridgedEventPublisher } from './bridged-event.publisher';
import { EVENT_BUS_CQRS_OPTIONS } from './event-bus-cqrs.constants';
import { resolveBridgedEvents, type BridgedEvent, type EventBusCqrsOptions } from './event-bus-cqrs.options';

/**
 * Connects the CQRS `EventBus` to this bus for the bridged event classes: it puts a
 * `BridgedEventPublisher` in front of the CQRS publisher (outgoing) and subscribes each
 * bridged type, turning each delivery back into an instance of its class and publishing it
 * on the CQRS `EventBus`, marked as from the broker so it is not sent out again.
 *
 * Runs at application bootstrap. This module is not global, so Nest bootstraps it after the
 * global `CqrsModule.forRoot()`, which registers the `@EventsHandler`s: no delivery reaches
 * the CQRS bus before its handlers listen. A delivery is acked once it is handed to the CQRS
 * bus: CQRS runs its handlers without awaiting them and reports their failures on its
 * `UnhandledExceptionBus`, so they are not retried here (use `@OnEvent` for that).
 */
@Injectable()
export class CqrsBridgeService implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventBus:Cqrs');
  private readonly events: BridgedEvent[];
  /** Events that came from the broker: published on the CQRS bus in process only. */
  private readonly fromBroker = new WeakSet<object>();

  constructor(
    @Inject(EVENT_BUS_CQRS_OPTIONS) private readonly options: EventBusCqrsOptions,
    private readonly bus: EventBus,
    private readonly cqrs: CqrsEventBus,
  ) {
    this.events = resolveBridgedEvents(options);
  }

  async onApplicationBootstrap(): Promise<void> {
    const types = new Map<Type<IEvent>, string>(this.events.map((e) => [e.eventClass, e.type]));
    this.cqrs.publisher = new BridgedEventPublisher(
      this.cqrs.publisher,
      types,
      this.fromBroker,
      (type, data) => this.bus.publish({ type, data }),
      (type, error) => this.logger.error(`Could not publish CQRS event ${type} to the bus: ${(error as Error)?.message ?? String(error)}`),
    );
    if (this.options.consume === false) return;
    for (const { type, eventClass } of this.events) {
      await this.bus.subscribe(type, (event: EventEnvelope) => this.deliver(eventClass, event), { ...this.options.subscribe });
    }
  }

  /** Rebuilds the CQRS event from the delivery and hands it to the CQRS bus, in process only. */
  private async deliver(eventClass: Type<IEvent>, envelope: EventEnvelope): Promise<void> {
    const { data } = envelope;
    if (data === null || typeof data !== 'object' || Array.isArray(data) || Buffer.isBuffer(data)) {
      throw new NonRetryableError(`CQRS bridge: ${envelope.type} data must be a JSON object to become a ${eventClass.name}`);
    }
    const event = plainToInstance(eventClass, data) as object;
    this.fromBroker.add(event);
    await this.cqrs.publish(event);
  }
}
