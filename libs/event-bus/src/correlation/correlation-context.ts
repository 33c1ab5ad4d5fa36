import { AsyncLocalStorage } from 'node:async_hooks';

/** What flows implicitly through an HTTP request or an event handler. */
export interface CorrelationScope {
  /** Correlation id of the current transaction. */
  correlationId: string;
  /** Id of the event being handled, if inside a handler; becomes `causationId` of events published there. */
  eventId?: string;
}

/**
 * One storage for the process: correlation must cross module boundaries (an HTTP middleware
 * in one module, `publish()` in another), so it cannot live on a provider instance.
 */
const storage = new AsyncLocalStorage<CorrelationScope>();

/** Runs `fn` with `scope` as the current correlation scope. */
export function runWithCorrelation<R>(scope: CorrelationScope, fn: () => R): R {
  return storage.run(scope, fn);
}

/** The current scope, or `undefined` outside requests and handlers. */
export function currentCorrelationScope(): CorrelationScope | undefined {
  return storage.getStore();
}

/** Correlation id of the current HTTP request or event handler, or `undefined` outside them. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
