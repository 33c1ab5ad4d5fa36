import type { EventBusRedisClusterOptions, EventBusRedisSentinelOptions } from '../interfaces/redis-ha-options.interface';
import {
  type Bag,
  describeValue,
  isObject,
  optionalInt,
  optionalOneOf,
  optionKeys,
  type Problems,
  refuseUnknownKeys,
  requireUrl,
} from './option-checks';
import { parseEndpoint } from './redis-endpoint';
import { DEFAULT_REDIS_PORT, DEFAULT_SENTINEL_PORT } from './redis-topology';

const SENTINEL_KEYS = optionKeys<EventBusRedisSentinelOptions>({
  sentinels: true,
  name: true,
  username: true,
  password: true,
  sentinelUsername: true,
  sentinelPassword: true,
  sentinelTls: true,
  db: true,
});

const CLUSTER_KEYS = optionKeys<EventBusRedisClusterOptions>({ nodes: true, username: true, password: true });

/** The three ways to say where Redis is; exactly one must be given. */
const TARGETS = ['url', 'sentinel', 'cluster'] as const;

function optionalString(bag: Bag, key: string, path: string, problems: Problems): void {
  const value = bag[key];
  // A password is never quoted, not even masked: only its type is.
  if (value !== undefined && typeof value !== 'string') problems.push(`${path}: must be a string (got ${typeof value})`);
}

/** `bag[key]` must be a non-empty list of endpoints, each checked by `parseEndpoint`. */
function requireEndpoints(bag: Bag, key: string, path: string, defaultPort: number, allowUrl: boolean, problems: Problems): void {
  const list = bag[key];
  const shape = allowUrl ? 'redis:// URLs or host:port' : 'host:port';
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${path}: required; a non-empty list of ${shape} (got ${describeValue(list)})`);
    return;
  }
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push(`${path}[${i}]: must be ${shape} (got ${describeValue(item)})`);
      return;
    }
    const parsed = parseEndpoint(item, defaultPort, allowUrl);
    if ('problem' in parsed) problems.push(`${path}[${i}]: ${parsed.problem} (got ${describeValue(item)})`);
  });
}

function checkSentinel(value: unknown, problems: Problems): void {
  if (!isObject(value)) {
    problems.push(`redis.sentinel: must be an object with sentinels and name (got ${describeValue(value)})`);
    return;
  }
  requireEndpoints(value, 'sentinels', 'redis.sentinel.sentinels', DEFAULT_SENTINEL_PORT, false, problems);
  if (typeof value.name !== 'string' || value.name.trim() === '') {
    problems.push(`redis.sentinel.name: required; the master group name the sentinels monitor (got ${describeValue(value.name)})`);
  }
  for (const key of ['username', 'password', 'sentinelUsername', 'sentinelPassword']) {
    optionalString(value, key, `redis.sentinel.${key}`, problems);
  }
  optionalOneOf(value, 'sentinelTls', 'redis.sentinel.sentinelTls', [true, false], problems);
  optionalInt(value, 'db', 'redis.sentinel.db', 0, problems);
  refuseUnknownKeys(value, SENTINEL_KEYS, 'redis.sentinel.', problems);
}

function checkCluster(value: unknown, keyPrefix: unknown, problems: Problems): void {
  if (!isObject(value)) {
    problems.push(`redis.cluster: must be an object with nodes (got ${describeValue(value)})`);
    return;
  }
  requireEndpoints(value, 'nodes', 'redis.cluster.nodes', DEFAULT_REDIS_PORT, true, problems);
  if (Array.isArray(value.nodes)) {
    // Bare host:port nodes follow the URLs; the URLs must agree with each other.
    const urls = value.nodes.filter((n): n is string => typeof n === 'string' && n.includes('://'));
    const schemes = new Set(urls.map((n) => /^rediss:\/\//i.test(n)));
    if (schemes.size > 1) problems.push('redis.cluster.nodes: mixes rediss:// and plain nodes; use TLS for all nodes or none');
  }
  optionalString(value, 'username', 'redis.cluster.username', problems);
  optionalString(value, 'password', 'redis.cluster.password', problems);
  refuseUnknownKeys(value, CLUSTER_KEYS, 'redis.cluster.', problems);
  // The library puts the event type in a hash tag; a brace in the prefix would take its place.
  if (typeof keyPrefix === 'string' && /[{}]/.test(keyPrefix)) {
    problems.push(`redis.keyPrefix: must not contain '{' or '}' with redis.cluster (got ${describeValue(keyPrefix)})`);
  }
}

/**
 * Checks where Redis is: exactly one of `redis.url`, `redis.sentinel` and `redis.cluster`,
 * each well formed. Problems name the field; passwords are never quoted.
 */
export function checkRedisTarget(redis: Bag, problems: Problems): void {
  const given = TARGETS.filter((t) => redis[t] !== undefined);
  if (given.length > 1) {
    problems.push(
      `redis.${given[1]}: give only one of redis.url, redis.sentinel and redis.cluster (got ${given.map((t) => `redis.${t}`).join(' and ')})`,
    );
    return;
  }
  if (redis.sentinel !== undefined) checkSentinel(redis.sentinel, problems);
  else if (redis.cluster !== undefined) checkCluster(redis.cluster, redis.keyPrefix, problems);
  else {
    const before = problems.length;
    requireUrl(redis, 'url', 'redis.url', ['redis:', 'rediss:'], problems);
    if (redis.url === undefined && problems.length > before) {
      problems[problems.length - 1] += '; or redis.sentinel or redis.cluster instead';
    }
  }
}
