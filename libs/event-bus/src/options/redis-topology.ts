import type { EventBusRedisClusterOptions, EventBusRedisSentinelOptions } from '../interfaces/redis-ha-options.interface';
import { redactUrl } from './redact-url';
import { endpointText, parseEndpoint, type ParsedEndpoint, type RedisEndpoint } from './redis-endpoint';

/** Port of a sentinel given without one. */
export const DEFAULT_SENTINEL_PORT = 26379;
/** Port of a cluster node given without one. */
export const DEFAULT_REDIS_PORT = 6379;

/** `redis.sentinel` after validation. */
export interface ResolvedRedisSentinel {
  sentinels: RedisEndpoint[];
  name: string;
  username?: string;
  password?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
  sentinelTls: boolean;
  db: number;
}

/** `redis.cluster` after validation; user and password taken from the first URL that has them unless given. */
export interface ResolvedRedisCluster {
  nodes: RedisEndpoint[];
  username?: string;
  password?: string;
  /** The seed nodes were `rediss://` URLs. */
  tls: boolean;
}

/** Where Redis is: exactly one of the three, as `validateEventBusOptions` ensures. */
export interface RedisTarget {
  url?: string;
  sentinel?: ResolvedRedisSentinel;
  cluster?: ResolvedRedisCluster;
}

/** Parses an endpoint already checked by validation. */
function parsed(text: string, defaultPort: number, allowUrl: boolean): ParsedEndpoint {
  const result = parseEndpoint(text, defaultPort, allowUrl);
  if ('problem' in result) throw new Error(`unchecked Redis endpoint: ${result.problem}`);
  return result;
}

/** `redis.sentinel` with endpoints parsed and defaults filled in. */
export function resolveSentinel(options: EventBusRedisSentinelOptions): ResolvedRedisSentinel {
  return {
    sentinels: options.sentinels.map((s) => {
      const { host, port } = parsed(s, DEFAULT_SENTINEL_PORT, false);
      return { host, port };
    }),
    name: options.name,
    username: options.username,
    password: options.password,
    sentinelUsername: options.sentinelUsername,
    sentinelPassword: options.sentinelPassword,
    sentinelTls: options.sentinelTls ?? false,
    db: options.db ?? 0,
  };
}

/** `redis.cluster` with endpoints parsed and the credentials of the URLs lifted out. */
export function resolveCluster(options: EventBusRedisClusterOptions): ResolvedRedisCluster {
  const nodes = options.nodes.map((n) => parsed(n, DEFAULT_REDIS_PORT, true));
  const withCredentials = nodes.find((n) => n.password !== undefined || n.username !== undefined);
  return {
    nodes: nodes.map(({ host, port }) => ({ host, port })),
    username: options.username ?? withCredentials?.username,
    password: options.password ?? withCredentials?.password,
    tls: nodes.some((n) => n.tls),
  };
}

/** Passwords of the Redis options, to scrub from logs and errors. */
export function redisSecrets(options: {
  url?: string;
  sentinel?: EventBusRedisSentinelOptions;
  cluster?: EventBusRedisClusterOptions;
}): string[] {
  const { sentinel, cluster } = options;
  const fromNodes = (cluster?.nodes ?? []).map((n) => {
    const node = parseEndpoint(n, DEFAULT_REDIS_PORT, true);
    return 'problem' in node ? undefined : node.password;
  });
  return [sentinel?.password, sentinel?.sentinelPassword, cluster?.password, ...fromNodes].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

/** The option that says where Redis is, for error messages: `redis.url`, `redis.sentinel` or `redis.cluster`. */
export function targetField(target: RedisTarget): string {
  return target.sentinel ? 'redis.sentinel' : target.cluster ? 'redis.cluster' : 'redis.url';
}

/** Where Redis is, as logs and errors name it (passwords never included). */
export function describeTarget(target: RedisTarget): string {
  if (target.sentinel) {
    return `sentinel master "${target.sentinel.name}" (sentinels ${target.sentinel.sentinels.map(endpointText).join(', ')})`;
  }
  if (target.cluster) return `cluster ${target.cluster.nodes.map(endpointText).join(', ')}`;
  return redactUrl(target.url ?? '');
}
