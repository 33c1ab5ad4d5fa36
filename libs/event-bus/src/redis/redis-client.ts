import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/** The connection the ledger and the cache use: one server (also behind Sentinel) or a cluster. */
export type RedisClient = Redis | Cluster;

/** Longest pause between reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Longest wait for a sentinel to answer where the master is. */
const SENTINEL_COMMAND_TIMEOUT_MS = 2_000;

/** How often a cluster client reads the slot map again on its own. */
const SLOTS_REFRESH_INTERVAL_MS = 5_000;

const reconnectDelay = (times: number): number => Math.min(times * 100, MAX_RECONNECT_DELAY_MS);

/**
 * Settings every mode shares. The offline queue is off on purpose: while Redis is away, ledger
 * calls must fail at once (the consumer then holds its messages) rather than pile up in memory.
 * No auto-pipelining: the ledger already sends the work of concurrent deliveries as one script
 * call per event-loop turn; auto-pipelining on top of that measured no faster.
 */
function commonOptions(options: ResolvedEventBusOptions): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: false,
    maxRetriesPerRequest: 0,
    connectionName: options.serviceName,
  };
}

/**
 * Builds the client `options.redis` asks for, not yet connected: `new Redis(url)`, `new Redis({ sentinels, name })`
 * (it asks the sentinels for the master and asks again after every disconnect, so it follows a failover), or
 * `new Cluster(nodes)` (it routes each command to the master of its key's slot and refreshes the slot map on
 * failover). Each keeps reconnecting on its own, with backoff up to 2 s.
 */
export function buildRedisClient(options: ResolvedEventBusOptions): RedisClient {
  const redis = options.redis;
  if (!redis) throw new Error('buildRedisClient needs the redis option');
  const common = commonOptions(options);
  if (redis.sentinel) {
    const s = redis.sentinel;
    return new Redis({
      ...common,
      sentinels: s.sentinels,
      name: s.name,
      role: 'master',
      username: s.username,
      password: s.password,
      sentinelUsername: s.sentinelUsername,
      sentinelPassword: s.sentinelPassword,
      db: s.db,
      // `tls` is for the master; in Sentinel mode ioredis uses it only with this flag.
      tls: redis.tls,
      enableTLSForSentinelMode: redis.tls !== undefined,
      sentinelTLS: s.sentinelTls ? (redis.tls ?? {}) : undefined,
      sentinelCommandTimeout: SENTINEL_COMMAND_TIMEOUT_MS,
      sentinelRetryStrategy: reconnectDelay,
      // Listens for +switch-master on the sentinels, so a failover is followed even when the
      // old master is cut off rather than dead (its socket would not close on its own).
      failoverDetector: true,
      retryStrategy: reconnectDelay,
    });
  }
  if (redis.cluster) {
    const c = redis.cluster;
    const tls = redis.tls ?? (c.tls ? {} : undefined);
    return new Cluster(c.nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: false,
      clusterRetryStrategy: reconnectDelay,
      // Besides the refreshes that MOVED replies and lost nodes trigger, look at the slot map
      // now and then, so a failover is noticed even for slots no command touched.
      slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
      // Node connections keep ioredis's own queue and retry settings (it manages them per node).
      redisOptions: { maxRetriesPerRequest: 0, connectionName: options.serviceName, username: c.username, password: c.password, tls },
    });
  }
  const url = redis.url ?? '';
  return new Redis(url, {
    ...common,
    tls: redis.tls ?? (url.startsWith('rediss:') ? {} : undefined),
    retryStrategy: reconnectDelay,
  });
}
