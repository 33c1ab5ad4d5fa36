import type { Cluster } from 'ioredis';

/** Slots a Redis Cluster has: every one must be served for the ledger to work on every event. */
const CLUSTER_SLOTS = 16_384;

/** Longest wait for one master's PING reply in a health check. */
const MASTER_PING_TIMEOUT_MS = 1_000;

/**
 * Whether every master in the client's slot map answers, and every slot has a master.
 *
 * The cluster client stays `ready` while one master is gone: commands for the other masters'
 * slots keep working, and only the events whose ledger keys hash to the lost master's slots
 * are held. A health check that looked at the client alone would say `up` through that, so this
 * one PINGs each master the slot map names (at most {@link MASTER_PING_TIMEOUT_MS} each, in
 * parallel). A master whose connection ended and was dropped from the client's pool counts as
 * down until the slot map is read again (a promoted replica, or the node back, within the
 * client's slot refresh interval).
 */
export async function clusterMastersAnswer(cluster: Cluster): Promise<boolean> {
  if (cluster.status !== 'ready') return false;
  const masterKeys = new Set<string>();
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
    const master = cluster.slots[slot]?.[0];
    if (master === undefined) return false;
    masterKeys.add(master);
  }
  const pool = new Map(cluster.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]));
  const answers = [...masterKeys].map(async (key) => {
    const node = pool.get(key);
    if (!node) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), MASTER_PING_TIMEOUT_MS);
    });
    const ping = node.ping().then(
      (reply) => reply === 'PONG',
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  });
  return (await Promise.all(answers)).every(Boolean);
}
