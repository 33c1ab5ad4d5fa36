import { eventTypeProblem } from '../topology/queue-naming';

/** Metadata key of `@CqrsEventType` on a CQRS event class. */
export const CQRS_EVENT_TYPE_METADATA = 'event-bus:cqrs_event_type';

/**
 * Names the bus event type (routing key, CloudEvents `type`) of a CQRS event class bridged
 * by `EventBusCqrsModule`; without it the class name is the type. Services in other
 * languages and `@OnEvent` handlers see the event under this name.
 *
 * @example
 * @CqrsEventType('USER_REGISTERED')
 * export class UserRegisteredEvent implements IEvent { constructor(readonly userId: string) {} }
 */
export function CqrsEventType(type: string): ClassDecorator {
  const problem = eventTypeProblem(type);
  if (problem) throw new Error(`@CqrsEventType: ${problem}`);
  return (target) => {
    Reflect.defineMetadata(CQRS_EVENT_TYPE_METADATA, type, target);
  };
}

/** The bus type of a CQRS event class: its `@CqrsEventType`, else its class name. */
export function cqrsEventTypeOf(eventClass: abstract new (...args: never[]) => unknown): string {
  return (Reflect.getOwnMetadata(CQRS_EVENT_TYPE_METADATA, eventClass) as string | undefined) ?? eventClass.name;
}
