import type { RetryPolicyOptions } from '../interfaces/subscribe-options.interface';

/** A subscription's effective retry policy. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retryCount: number;
  /** Base delay in ms. */
  retryDelay: number;
  backoff: 'fixed' | 'exponential';
}

/** The handler's own settings win over the module's. */
export function resolveRetryPolicy(handler: RetryPolicyOptions, module: Required<RetryPolicyOptions>): RetryPolicy {
  return {
    retryCount: handler.retryCount ?? module.retryCount,
    retryDelay: handler.retryDelay ?? module.retryDelay,
    backoff: handler.retryBackoff ?? module.retryBackoff,
  };
}

/** Delay before retry `n` (1-based): `retryDelay`, or `retryDelay * 2^(n-1)` when exponential. */
export function retryDelayFor(policy: RetryPolicy, n: number): number {
  return policy.backoff === 'exponential' ? policy.retryDelay * 2 ** (n - 1) : policy.retryDelay;
}

/** Every distinct delay the policy uses, one wait queue each. */
export function distinctRetryDelays(policy: RetryPolicy): number[] {
  const delays = new Set<number>();
  for (let n = 1; n <= policy.retryCount; n++) delays.add(retryDelayFor(policy, n));
  return [...delays];
}
