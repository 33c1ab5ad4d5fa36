import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from './free-port';
import { RedisProcess } from './redis-process';
import { runCommand } from './run-command';
import { waitFor } from './wait-for';

/** Quick failure detection for tests: a dead master is noticed after this long. */
export const DOWN_AFTER_MS = 1_000;

/** A master, its replica and sentinels watching them, all private to one test. */
export interface PrivateSentinelGroup {
  /** Master group name the sentinels know. */
  readonly name: string;
  /** `host:port` of each sentinel. */
  readonly sentinels: string[];
  readonly servers: RedisProcess[];
  /** The server the sentinels now name as master. */
  master(): Promise<RedisProcess>;
  /** Stops every process and deletes the directory; safe to call twice. */
  stop(): Promise<void>;
}

/** A Redis Cluster of masters with one replica each, private to one test. */
export interface PrivateRedisCluster {
  /** `redis://127.0.0.1:port` of every node. */
  readonly nodes: string[];
  readonly servers: RedisProcess[];
  /** The node whose `CLUSTER NODES` line says `myself,master`, by port. */
  masters(): Promise<RedisProcess[]>;
  /** Waits until every live node reports `cluster_state:ok` and `masterCount` masters serve the slots. */
  waitHealthy(masterCount: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function stopAll(processes: RedisProcess[], dir: string): Promise<void> {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  await rm(dir, { recursive: true, force: true });
}

/** Settings that make a replica sync at once without writing an RDB file. */
const FAST_SYNC = ['repl-diskless-sync yes', 'repl-diskless-sync-delay 0', 'repl-diskless-load on-empty-db'];

/** A Redis Cluster node's bus port is its client port plus this. */
const CLUSTER_BUS_OFFSET = 10_000;

/** Password of every private HA server (so tests can show a wrong one refused); never a real secret. */
export const HA_PASSWORD = 'ha-test-password';

/** A server's password settings: its own, and the one it gives its master when it is a replica. */
const AUTH = [`requirepass ${HA_PASSWORD}`, `masterauth ${HA_PASSWORD}`];

/**
 * Starts a master, a replica of it (both with password {@link HA_PASSWORD}) and `sentinelCount` sentinels (quorum: a majority) with
 * `down-after-milliseconds` 1000, and waits until every sentinel sees the replica and the
 * other sentinels, so a failover can start as soon as the master dies.
 */
export async function startSentinelGroup(sentinelCount = 3): Promise<PrivateSentinelGroup> {
  const dir = await mkdtemp(join(tmpdir(), 'evbus-sentinel-'));
  const ports = await findFreePorts(2 + sentinelCount);
  const name = 'evbus-master';
  const [masterPort, replicaPort] = ports;
  const master = new RedisProcess(masterPort, dir, [...FAST_SYNC, ...AUTH], false, HA_PASSWORD);
  const replica = new RedisProcess(replicaPort, dir, [...FAST_SYNC, ...AUTH, `replicaof 127.0.0.1 ${masterPort}`], false, HA_PASSWORD);
  const quorum = Math.floor(sentinelCount / 2) + 1;
  const sentinels = ports
    .slice(2)
    .map(
      (port) =>
        new RedisProcess(
          port,
          dir,
          [
            `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${quorum}`,
            `sentinel auth-pass ${name} ${HA_PASSWORD}`,
            `sentinel down-after-milliseconds ${name} ${DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${name} 5000`,
            `sentinel parallel-syncs ${name} 1`,
          ],
          true,
        ),
    );
  const all = [master, replica, ...sentinels];
  const servers = [master, replica];
  try {
    await master.start();
    await replica.start();
    await waitUntil(async () => /master_link_status:up/.test(await replica.cli('info', 'replication')), 15_000, 'the replica to sync');
    await Promise.all(sentinels.map((s) => s.start()));
    await waitUntil(
      async () => {
        const views = await Promise.all(sentinels.map((s) => s.cli('sentinel', 'master', name)));
        return views.every((v) => fieldOf(v, 'num-slaves') === '1' && fieldOf(v, 'num-other-sentinels') === String(sentinelCount - 1));
      },
      20_000,
      'the sentinels to find the replica and each other',
    );
  } catch (error) {
    await stopAll(all, dir);
    throw error;
  }
  let stopped = false;
  return {
    name,
    sentinels: sentinels.map((s) => s.address),
    servers,
    master: async () => {
      const reply = (await sentinels[0].cli('sentinel', 'get-master-addr-by-name', name)).trim().split('\n');
      const port = Number(reply[1]);
      const found = servers.find((s) => s.port === port);
      if (!found) throw new Error(`sentinel names an unknown master: ${reply.join(':')}`);
      return found;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopAll(all, dir);
    },
  };
}

/** The value after `field` in redis-cli's one-item-per-line output of a flat reply. */
function fieldOf(reply: string, field: string): string | undefined {
  const lines = reply.split('\n').map((l) => l.trim());
  const at = lines.indexOf(field);
  return at === -1 ? undefined : lines[at + 1];
}

/** Polls a server-side condition every 100 ms (each check runs redis-cli). */
function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  return waitFor(condition, { timeoutMs, intervalMs: 100, message: what });
}

/**
 * Starts `masterCount` * 2 nodes (password {@link HA_PASSWORD}) with `cluster-node-timeout` 1000 and joins them into a cluster
 * of `masterCount` masters with one replica each (`redis-cli --cluster create`).
 */
export async function startRedisCluster(masterCount = 3): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'evbus-cluster-'));
  // Each node also listens on its port + 10000 for the cluster bus.
  const ports = await findFreePorts(masterCount * 2, CLUSTER_BUS_OFFSET);
  const servers = ports.map(
    (port) =>
      new RedisProcess(
        port,
        dir,
        [
          ...FAST_SYNC,
          ...AUTH,
          'cluster-enabled yes',
          `cluster-config-file nodes-${port}.conf`,
          `cluster-node-timeout ${DOWN_AFTER_MS}`,
          // A replica takes over however long it was cut off: the test kills masters on purpose.
          'cluster-replica-validity-factor 0',
        ],
        false,
        HA_PASSWORD,
      ),
  );
  const isUp = async (s: RedisProcess) => (await s.cli('ping')).trim() === 'PONG';
  const cluster: PrivateRedisCluster = {
    nodes: servers.map((s) => `redis://${s.address}`),
    servers,
    masters: async () => {
      const found: RedisProcess[] = [];
      for (const s of servers) {
        if (/myself,master/.test(await s.cli('cluster', 'nodes'))) found.push(s);
      }
      return found;
    },
    waitHealthy: async (count, timeoutMs = 30_000) => {
      await waitUntil(
        async () => {
          const live = [];
          for (const s of servers) if (await isUp(s)) live.push(s);
          const infos = await Promise.all(live.map((s) => s.cli('cluster', 'info')));
          if (!infos.every((i) => /cluster_state:ok/.test(i))) return false;
          return (await cluster.masters()).length === count;
        },
        timeoutMs,
        `the cluster to be ok with ${count} masters`,
      );
    },
    stop: async () => stopAll(servers, dir),
  };
  try {
    await Promise.all(servers.map((s) => s.start()));
    const create = await runCommand(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...servers.map((s) => s.address),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
        '-a',
        HA_PASSWORD,
        '--no-auth-warning',
      ],
      { timeoutMs: 60_000 },
    );
    if (create.code !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await cluster.waitHealthy(masterCount);
    // Every replica in sync, so a failover has something to promote.
    await waitUntil(
      async () => {
        for (const s of servers) {
          const info = await s.cli('info', 'replication');
          if (/role:slave/.test(info) && !/master_link_status:up/.test(info)) return false;
        }
        return true;
      },
      20_000,
      'the replicas to sync',
    );
  } catch (error) {
    await stopAll(servers, dir);
    throw error;
  }
  return cluster;
}
