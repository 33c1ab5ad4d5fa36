import { Redis } from 'ioredis';
import { RedisConnectionError } from '../errors/redis-connection.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import { redactUrl } from '../options/redact-url';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/** Longest pause between reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Opens the Redis connection of the idempotency ledger and the latest-event cache, and waits
 * until it is ready so a wrong URL fails the application start.
 *
 * The offline queue is off on purpose: while Redis is away, ledger calls must fail at once
 * (the consumer then holds its messages) rather than pile up in memory.
 */
export async function createRedisConnection(options: ResolvedEventBusOptions): Promise<Redis> {
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
  client.on('error', (err: Error) => {
    lastError = logger.redact(err.message);
    if (!down) logger.warn(`Redis at ${redactUrl(url)} unreachable: ${lastError}; retrying`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log(`Redis at ${redactUrl(url)} is back`);
    down = false;
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), connectTimeout))),
    ]);
  } catch {
    client.disconnect();
    throw new RedisConnectionError(redactUrl(url), connectTimeout, lastError);
  } finally {
    clearTimeout(timer);
  }
  return client;
}
