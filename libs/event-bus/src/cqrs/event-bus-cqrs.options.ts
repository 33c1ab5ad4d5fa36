import type { Type } from '@nestjs/common';
import type { IEvent } from '@nestjs/cqrs';
import type { SubscribeOptions } from '../interfaces/subscribe-options.interface';
import { eventTypeProblem } from '../topology/queue-naming';
import { cqrsEventTypeOf } from './cqrs-event-type.decorator';

/** Options of `EventBusCqrsModule.forRoot()`. */
export interface EventBusCqrsOptions {
  /**
   * CQRS event classes that travel through the bus. Publishing one on the CQRS `EventBus`
   * sends it to RabbitMQ (and resolves once the broker confirmed it) instead of delivering
   * it in process; every service bridging the class, this one included, consumes it back
   * into its CQRS `EventBus`, where `@EventsHandler`s and sagas get it. Other CQRS events
   * stay in process as ever.
   */
  events: Type<IEvent>[];
  /**
   * Consume the bridged events in this service (default `true`). `false` for a service
   * that only publishes them: its own `@EventsHandler`s then do not see them.
   */
  consume?: boolean;
  /** Options of each bridged event's subscription (queue `<serviceName>.<type>`); `queue` cannot be set here. */
  subscribe?: Omit<SubscribeOptions, 'queue'>;
}

/** A bridged event class with its bus type. */
export interface BridgedEvent {
  type: string;
  eventClass: Type<IEvent>;
}

/**
 * Checks the options and names each class's bus type. Every problem is reported at once,
 * naming the class: a non-class entry, an invalid or duplicated type, a `queue`.
 */
export function resolveBridgedEvents(options: EventBusCqrsOptions): BridgedEvent[] {
  const problems: string[] = [];
  const events = options?.events;
  if (!Array.isArray(events) || events.length === 0) {
    throw new Error('EventBusCqrsModule.forRoot(): events must be a non-empty array of CQRS event classes');
  }
  const byType = new Map<string, Type<IEvent>>();
  events.forEach((eventClass, index) => {
    if (typeof eventClass !== 'function') {
      problems.push(`events[${index}]: must be a CQRS event class`);
      return;
    }
    const type = cqrsEventTypeOf(eventClass);
    const problem = eventTypeProblem(type);
    if (problem) problems.push(`events[${index}] (${eventClass.name}): ${problem}; name it with @CqrsEventType('...')`);
    const other = byType.get(type);
    if (other && other !== eventClass) {
      problems.push(`events[${index}] (${eventClass.name}): type "${type}" is also the type of ${other.name}; give one a @CqrsEventType`);
    }
    byType.set(type, eventClass);
  });
  if (options.subscribe && 'queue' in options.subscribe) {
    problems.push('subscribe.queue: each bridged event has a queue of its own (<serviceName>.<type>); leave queue out');
  }
  if (options.consume !== undefined && typeof options.consume !== 'boolean') problems.push('consume: must be true or false');
  if (problems.length > 0) throw new Error(`EventBusCqrsModule.forRoot():\n  - ${problems.join('\n  - ')}`);
  return [...byType].map(([type, eventClass]) => ({ type, eventClass }));
}
