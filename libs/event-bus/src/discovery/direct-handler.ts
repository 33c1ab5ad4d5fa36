import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA } from '@nestjs/common/constants';
import { isObservable, lastValueFrom } from 'rxjs';
import { EVENT_PARAM_ARGS_METADATA } from '../decorators/event-param.metadata';
import type { EventHandler } from '../interfaces/subscribe-options.interface';

/** Metadata keys of the Nest enhancers a handler's class or method may declare. */
const ENHANCER_KEYS = [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA];

/**
 * Whether a handler method has nothing for Nest's execution context to do: no guards,
 * interceptors, pipes or exception filters on its class or method, and no decorated
 * parameters. (Module-wide interceptors and global pipes are the caller's to check.)
 */
export function hasNoEnhancers(instance: object, methodName: string): boolean {
  const method = (instance as Record<string, unknown>)[methodName];
  const owner = instance.constructor;
  if (
    ENHANCER_KEYS.some((key) => Reflect.getMetadata(key, owner) !== undefined || Reflect.getMetadata(key, method as object) !== undefined)
  ) {
    return false;
  }
  return Reflect.getMetadata(EVENT_PARAM_ARGS_METADATA, owner, methodName) === undefined;
}

/**
 * Calls a handler straight, as Nest's execution context does when nothing wraps it, minus its
 * per-event work (an argument array, three nested async steps): a returned Observable is
 * awaited to its last value, anything else is handed back as is.
 */
export function directHandler(instance: object | undefined, method: (...args: unknown[]) => unknown): EventHandler {
  return (event, ctx) => {
    const result = method.call(instance, event, ctx);
    return (isObservable(result) ? lastValueFrom(result) : result) as Promise<void> | void;
  };
}
