import { Cluster, type Redis } from 'ioredis';
import type { EventBusLogger } from '../logging/event-bus-logger';
import type { RedisClient } from './redis-client';
import { endpointText } from '../options/redis-endpoint';

/** What {@link watchRedisHealth} tells the connection factory. */
export interface RedisHealthLog {
  /** The last connection error, redacted, for the startup error message. */
  lastError(): string;
  /** Startup is over: from now on refusals are logged too (at startup they fail the start instead). */
  started(): void;
}

/** The masters of a cluster's current slot map, `host:port` sorted. */
function masters(cluster: Cluster): string {
  return cluster
    .nodes('master')
    .map((n) => endpointText({ host: n.options.host ?? '?', port: n.options.port ?? 0 }))
    .sort()
    .join(', ');
}

/** ` (master at host:port)` for a client behind Sentinel, where the master may have moved; else ''. */
function masterAddress(client: RedisClient): string {
  if (client instanceof Cluster || !client.options.sentinels) return '';
  const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  return stream?.remoteAddress ? ` (master at ${stream.remoteAddress}:${stream.remotePort ?? '?'})` : '';
}

/**
 * Logs when Redis goes away and when it is back, once each per outage, for every mode:
 * one server, the master behind Sentinel (a failover shows as down, then back at the new
 * master's address), and each master of a cluster (a failover shows as the node down, then
 * the new set of masters once the slot map names the promoted replica).
 */
export function watchRedisHealth(
  client: RedisClient,
  target: string,
  logger: EventBusLogger,
  isRefusal: (err: Error) => boolean,
): RedisHealthLog {
  let lastError = 'no answer';
  let down = false;
  let starting = true;
  client.on('error', (err: Error) => {
    // "All sentinels are unreachable" hides why: keep the sentinel's own answer when there was one.
    if (!/^All sentinels are unreachable/.test(err.message) || lastError === 'no answer') lastError = logger.redact(err.message);
    // A refusal at startup fails the start with its own error; logging it too would say it twice.
    if (starting && isRefusal(err)) return;
    if (!down) logger.warn(`Redis ${target} unreachable: ${lastError}; retrying`);
    down = true;
  });
  client.on('sentinelError', (err: Error) => {
    // e.g. "failed to connect to sentinel ... because ERR No such master with that name"
    lastError = logger.redact(err.message);
  });
  client.on('ready', () => {
    if (down) logger.log(`Redis ${target} is ${starting ? 'up' : 'back'}${masterAddress(client)}`);
    down = false;
  });
  if (client instanceof Cluster) watchClusterNodes(client, logger, (text) => (lastError = text));
  return {
    lastError: () => lastError,
    started: () => {
      starting = false;
    },
  };
}

/**
 * Logs a cluster node that stops answering (once, until it answers again), the node when it is
 * back, and the masters once the slot map changed (a replica was promoted).
 */
function watchClusterNodes(cluster: Cluster, logger: EventBusLogger, setLastError: (text: string) => void): void {
  const downNodes = new Set<string>();
  let knownMasters = '';
  cluster.on('node error', (err: Error, address: string) => {
    const text = logger.redact(err.message);
    setLastError(`${address}: ${text}`);
    if (downNodes.has(address) || cluster.status !== 'ready') return;
    downNodes.add(address);
    logger.warn(`Redis cluster node ${address} unreachable: ${text}; commands for its slots fail until it is back or a replica takes over`);
  });
  // The cluster makes a new connection each time a node (re)joins its slot map.
  cluster.on('+node', (node: Redis) => {
    const address = endpointText({ host: node.options.host ?? '?', port: node.options.port ?? 0 });
    node.on('ready', () => {
      if (downNodes.delete(address)) logger.log(`Redis cluster node ${address} answers again`);
    });
  });
  cluster.on('refresh', () => {
    const now = masters(cluster);
    if (knownMasters !== '' && now !== knownMasters) logger.log(`Redis cluster masters now ${now}`);
    knownMasters = now;
  });
}
