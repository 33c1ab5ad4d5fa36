import type { ConsumeInterceptor, InboundEvent } from './consume-interceptor.interface';

/** Builds one function that runs `interceptors` in order around `terminal`. */
export function composeInterceptors(
  interceptors: readonly ConsumeInterceptor[],
  terminal: (event: InboundEvent) => Promise<void>,
): (event: InboundEvent) => Promise<void> {
  // Not `async`: each stage already returns a promise, and an async wrapper per stage would
  // add a promise (and its AsyncLocalStorage hooks) per stage per message. A synchronous throw
  // still becomes a rejection, as from an async function, without a promise on the happy path.
  return (event) => {
    const run = (index: number): Promise<void> => {
      try {
        return index === interceptors.length ? terminal(event) : interceptors[index].intercept(event, () => run(index + 1));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return run(0);
  };
}
