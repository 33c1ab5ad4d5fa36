import type { ConsumeInterceptor, InboundEvent } from './consume-interceptor.interface';

/** Builds one function that runs `interceptors` in order around `terminal`. */
export function composeInterceptors(
  interceptors: readonly ConsumeInterceptor[],
  terminal: (event: InboundEvent) => Promise<void>,
): (event: InboundEvent) => Promise<void> {
  return (event) => {
    const run = async (index: number): Promise<void> =>
      index === interceptors.length ? terminal(event) : interceptors[index].intercept(event, () => run(index + 1));
    return run(0);
  };
}
