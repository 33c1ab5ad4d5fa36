import { RedisConnectionError } from '../errors/redis-connection.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { buildRedisClient, type RedisClient } from './redis-client';
import { watchRedisHealth } from './redis-health-log';
import { describeTarget, targetField } from '../options/redis-topology';

/** Replies that no retry can cure: the server refuses these credentials or this client. */
const REFUSALS = /WRONGPASS|NOAUTH|invalid password|invalid username|no password is set|NOPERM|ERR AUTH/i;

/** The message of an error and, for a cluster's "Failed to refresh slots cache", of the node error behind it. */
export function errorText(err: Error): string {
  const nodeError = (err as Error & { lastNodeError?: unknown }).lastNodeError;
  return nodeError instanceof Error ? `${err.message} ${nodeError.message}` : err.message;
}

/** Whether an error is a refusal rather than "not reachable yet". */
export function isRefusal(err: Error): boolean {
  return REFUSALS.test(errorText(err));
}

/** A refusal seen while connecting (as opposed to "not reachable yet"). */
class RedisRefusedError extends Error {}

/**
 * Resolves once the client is ready. A server that is not up yet is waited for, up to
 * `timeoutMs` (the client keeps reconnecting on its own), so services may start before Redis,
 * as containers often do; a refusal (wrong password, say) fails at once.
 */
function whenReady(client: RedisClient, timeoutMs: number, lastError: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('node error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => done();
    const onError = (err: Error): void => {
      if (isRefusal(err)) done(new RedisRefusedError(lastError()));
    };
    const timer = setTimeout(() => done(new Error('timeout')), timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('node error', onError);
    // The first attempt's failure rejects this promise, but the client goes on reconnecting.
    client.connect().catch(() => undefined);
  });
}

/**
 * Opens the Redis connection of the idempotency ledger and the latest-event cache (one server,
 * Sentinel or Cluster, as `options.redis` says) and waits until it is ready (at most
 * `redis.connectTimeout`) so a wrong address fails the application start.
 *
 * The offline queue is off on purpose: while Redis is away, ledger calls must fail at once
 * (the consumer then holds its messages) rather than pile up in memory.
 */
export async function createRedisConnection(options: ResolvedEventBusOptions): Promise<RedisClient> {
  if (!options.redis) throw new Error('createRedisConnection needs the redis option');
  const { connectTimeout } = options.redis;
  const target = describeTarget(options.redis);
  const logger = new EventBusLogger('EventBus:Redis', options.secrets);
  const client = buildRedisClient(options);
  const health = watchRedisHealth(client, target, logger, isRefusal);

  try {
    await whenReady(client, connectTimeout, () => health.lastError());
  } catch (err) {
    client.disconnect();
    const field = targetField(options.redis);
    if (err instanceof RedisRefusedError) throw new RedisConnectionError(target, connectTimeout, err.message, 'refused', field);
    throw new RedisConnectionError(target, connectTimeout, health.lastError(), 'timeout', field);
  } finally {
    health.started();
  }
  return client;
}
