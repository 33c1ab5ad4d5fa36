/** Redis could not be reached at startup within `redis.connectTimeout` (URL shown redacted). */
export class RedisConnectionError extends Error {
  constructor(
    readonly redactedUrl: string,
    readonly timeoutMs: number,
    readonly causeMessage: string,
  ) {
    super(
      `Could not connect to Redis at ${redactedUrl} within ${timeoutMs} ms: ${causeMessage}. ` +
        'Check redis.url and that Redis is running.',
    );
    this.name = 'RedisConnectionError';
  }
}
