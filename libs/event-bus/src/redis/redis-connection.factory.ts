import { Redis } from 'ioredis';
import { RedisConnectionError } from '../errors/redis-connection.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import { redactUrl } from '../options/redact-url';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/** Longest pause between reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Replies that no retry can cure: the server refuses these credentials or this client. */
const REFUSALS = /WRONGPASS|NOAUTH|invalid password|invalid username|no password is set|NOPERM|ERR AUTH/i;

/** A refusal seen while connecting (as opposed to "not reachable yet"). */
class RedisRefusedError extends Error {}

/**
 * Resolves once the client is ready. A server that is not up yet is waited for, up to
 * `timeoutMs` (the client keeps reconnecting on its own), so services may start before Redis,
 * as containers often do; a refusal (wrong password, say) fails at once.
 */
function whenReady(client: Redis, timeoutMs: number, lastError: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => done();
    const onError = (err: Error): void => {
      if (REFUSALS.test(err.message)) done(new RedisRefusedError(lastError()));
    };
    const timer = setTimeout(() => done(new Error('timeout')), timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
    // The first attempt's failure rejects this promise, but the client goes on reconnecting.
    client.connect().catch(() => undefined);
  });
}

/**
 * Opens the Redis connection of the idempotency ledger and the latest-event cache, and waits
 * until it is ready (at most `redis.connectTimeout`) so a wrong URL fails the application start.
 *
 * The offline queue is off on purpose: while Redis is away, ledger calls must fail at once
 * (the consumer then holds its messages) rather than pile up in memory.
 */
export async function createRedisConnection(options: ResolvedEventBusOptions): Promise<Redis> {
  if (!options.redis) throw new Error('createRedisConnection needs the redis option');
  const { url, tls, connectTimeout } = options.redis;
  const logger = new EventBusLogger('EventBus:Redis', options.secrets);
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    // No auto-pipelining: the ledger already sends the work of concurrent deliveries as one
    // script call per event-loop turn; auto-pipelining on top of that measured no faster.
    enableAutoPipelining: false,
    maxRetriesPerRequest: 0,
    tls: tls ?? (url.startsWith('rediss:') ? {} : undefined),
    connectionName: options.serviceName,
    retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
  });

  let lastError = 'no answer';
  let down = false;
  let starting = true;
  client.on('error', (err: Error) => {
    lastError = logger.redact(err.message);
    // A refusal at startup fails the start with its own error; logging it too would say it twice.
    if (starting && REFUSALS.test(err.message)) return;
    if (!down) logger.warn(`Redis at ${redactUrl(url)} unreachable: ${lastError}; retrying`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log(`Redis at ${redactUrl(url)} is ${starting ? 'up' : 'back'}`);
    down = false;
    starting = false;
  });

  try {
    await whenReady(client, connectTimeout, () => lastError);
  } catch (err) {
    client.disconnect();
    if (err instanceof RedisRefusedError) throw new RedisConnectionError(redactUrl(url), connectTimeout, err.message, 'refused');
    throw new RedisConnectionError(redactUrl(url), connectTimeout, lastError);
  }
  return client;
}
