/**
 * Redis could not be used at startup (URL shown redacted): not reachable within
 * `redis.connectTimeout` (`reason: 'timeout'`), or it refused the connection, e.g. a wrong
 * password (`reason: 'refused'`), which no waiting cures.
 */
export class RedisConnectionError extends Error {
  constructor(
    readonly redactedUrl: string,
    readonly timeoutMs: number,
    readonly causeMessage: string,
    readonly reason: 'timeout' | 'refused' = 'timeout',
  ) {
    super(
      reason === 'refused'
        ? `Redis at ${redactedUrl} refused the connection: ${causeMessage}. Check the user and password in redis.url.`
        : `Could not connect to Redis at ${redactedUrl} within ${timeoutMs} ms: ${causeMessage}. ` +
            'Check redis.url and that Redis is running.',
    );
    this.name = 'RedisConnectionError';
  }
}
