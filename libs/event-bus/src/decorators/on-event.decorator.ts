import { extendArrayMetadata } from '@nestjs/common/utils/extend-metadata.util';
import { ON_EVENT_METADATA } from '../event-bus.constants';
import type { SubscribeOptions } from '../interfaces/subscribe-options.interface';
import { eventTypeProblem } from '../topology/queue-naming';

/** One `@OnEvent` binding as stored on the method. */
export interface OnEventMetadata {
  type: string;
  options: SubscribeOptions;
}

/**
 * Subscribes the decorated method of a provider or controller to events of `type`. The
 * method is called with `(event: EventEnvelope<T>, ctx: EventContext)`, or, when its
 * parameters carry `@EventPayload()`, `@Event()`, `@EventCtx()` or `@EventHeader()`, with
 * what those name (docs/handlers.md); throwing fails the attempt (retried, then
 * dead-lettered). Stack several to handle several types.
 *
 * @example
 * @OnEvent('USER_CREATED', { durable: true, useCache: true })
 * async onUserCreated(event: EventEnvelope<UserCreated>) { ... }
 */
export function OnEvent(type: string, options: SubscribeOptions = {}): MethodDecorator {
  const problem = eventTypeProblem(type);
  if (problem) throw new Error(`@OnEvent: ${problem}`);
  return (target, key, descriptor) => {
    extendArrayMetadata(
      ON_EVENT_METADATA,
      [{ type, options } satisfies OnEventMetadata],
      descriptor.value as unknown as (...args: unknown[]) => unknown,
    );
    return descriptor;
  };
}
