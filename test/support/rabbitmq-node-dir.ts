import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from './run-command';

/**
 * The files of a private RabbitMQ node, all inside one directory of its own, and what the
 * tests read back from them (pid, log). Shared by the single private node, the private cluster
 * and the TLS node.
 */

/** Distribution packages install the RabbitMQ scripts here, which a non-root PATH may lack. */
export const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/** Where a private node lives and listens. */
export interface NodeLocation {
  nodeName: string;
  port: number;
  distPort: number;
  dir: string;
}

/** The pid file of the node in `dir`. */
export function pidFileIn(dir: string): string {
  return join(dir, 'rabbitmq.pid');
}

/**
 * The environment of the node's scripts. Every location the node would otherwise read from the
 * machine-wide installation points into its directory: the machine's rabbitmq.conf may pin a
 * listener on 5672, and its enabled_plugins may start the management UI on 15672, ports the
 * shared node already holds, so the private node would fail to boot with eaddrinuse.
 */
export function rabbitmqNodeEnv(node: NodeLocation): NodeJS.ProcessEnv {
  return {
    PATH: SBIN_PATH,
    RABBITMQ_NODENAME: node.nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(node.port),
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: join(node.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(node.dir, 'log'),
    RABBITMQ_PID_FILE: pidFileIn(node.dir),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(node.dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(node.dir, 'rabbitmq.conf'),
    RABBITMQ_CONFIG_FILES: join(node.dir, 'conf.d'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(node.dir, 'advanced.config'),
  };
}

/** The pid the node wrote, if it has written one. */
export function readNodePid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFileIn(dir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The last 40 lines of the node's log, for the error of a failed boot. */
export function nodeLogTail(node: Pick<NodeLocation, 'nodeName' | 'dir'>): string {
  const file = join(node.dir, 'log', `${node.nodeName}.log`);
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Hands a directory to the `rabbitmq` user, which the packaged scripts switch to when run as root. */
export async function handToRabbitMqUser(dir: string): Promise<void> {
  const chown = await runCommand('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
  if (chown.code !== 0) throw new Error(`cannot hand ${dir} to the rabbitmq user: ${chown.stderr.trim()}`);
}

/** A zombie counts as dead: it holds no sockets, and nothing may reap it soon. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Resolves once `pid` has exited; throws if it still runs after `timeoutMs`. */
export async function waitUntilDead(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still alive ${timeoutMs} ms after being told to exit`);
    await sleep(50);
  }
}
