/** How the relay spaces the attempts of a row whose sends fail. */
export interface OutboxBackoff {
  /** Milliseconds before the second attempt. */
  initialDelay: number;
  /** Longest wait between attempts. */
  maxDelay: number;
}

/**
 * Milliseconds before the next attempt of a row that has failed `attempts` times (>= 1):
 * `initialDelay * 2^(attempts-1)`, capped at `maxDelay`, so a broker that refuses a message
 * for an hour costs a handful of attempts, not thousands.
 */
export function outboxRetryDelay(attempts: number, backoff: OutboxBackoff): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity for large counts, which the cap absorbs.
  return Math.min(backoff.maxDelay, backoff.initialDelay * 2 ** exponent);
}
