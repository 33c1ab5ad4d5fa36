/**
 * Redis Sentinel: the bus asks the sentinels where the master of a group is, connects to it,
 * and follows it when a failover promotes a replica (docs/redis-ha.md).
 */
export interface EventBusRedisSentinelOptions {
  /** Sentinels to ask, as `host:port` (port 26379 when left out); at least one. */
  sentinels: string[];
  /** Master group name, as the sentinels know it (`sentinel monitor <name> ...`). */
  name: string;
  /** User of the Redis servers (ACL); the default user when left out. */
  username?: string;
  /** Password of the Redis servers (`requirepass` / ACL); never logged. */
  password?: string;
  /** User of the sentinels themselves, when they require one. */
  sentinelUsername?: string;
  /** Password of the sentinels themselves (`requirepass` in sentinel.conf); never logged. */
  sentinelPassword?: string;
  /** Talk TLS to the sentinels too (the servers use `redis.tls` when it is set). Default `false`. */
  sentinelTls?: boolean;
  /** Database number on the master. Default 0. */
  db?: number;
}

/**
 * Redis Cluster: the bus learns the slot map from any of the seed nodes and sends each command
 * to the master of its key's slot, following failovers and resharding (docs/redis-ha.md).
 */
export interface EventBusRedisClusterOptions {
  /**
   * Seed nodes, at least one: `redis://host:port` or `rediss://host:port` URLs (TLS for every
   * node when they are `rediss://`), or bare `host:port` (port 6379 when left out). A user and
   * password in a URL apply to every node unless `username` / `password` are set.
   */
  nodes: string[];
  /** User of the cluster's nodes (ACL). */
  username?: string;
  /** Password of the cluster's nodes; never logged. */
  password?: string;
}
