/**
 * Redis could not be used at startup (URL shown redacted; for Sentinel and Cluster, the
 * master group and the addresses): not reachable within
 * `redis.connectTimeout` (`reason: 'timeout'`), or it refused the connection, e.g. a wrong
 * password (`reason: 'refused'`), which no waiting cures.
 */
export class RedisConnectionError extends Error {
  constructor(
    readonly redactedUrl: string,
    readonly timeoutMs: number,
    readonly causeMessage: string,
    readonly reason: 'timeout' | 'refused' = 'timeout',
    /** The option that says where Redis is: `redis.url`, `redis.sentinel` or `redis.cluster`. */
    readonly field: string = 'redis.url',
  ) {
    super(
      reason === 'refused'
        ? `Redis at ${redactedUrl} refused the connection: ${causeMessage}. Check the user and password in ${field}.`
        : `Could not connect to Redis at ${redactedUrl} within ${timeoutMs} ms: ${causeMessage}. ` +
            `Check ${field} and that Redis is running.`,
    );
    this.name = 'RedisConnectionError';
  }
}
