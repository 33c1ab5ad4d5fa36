import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePorts } from './free-port';
import { type CommandResult, runCommand } from './run-command';
import { acceptsConnections } from './tcp-probe';
import { handToRabbitMqUser, isAlive, nodeLogTail, pidFileIn, rabbitmqNodeEnv, readNodePid, waitUntilDead } from './rabbitmq-node-dir';

const CLI_TIMEOUT_MS = 60_000;

/** One node of a private cluster. */
export interface ClusterNode {
  /** Erlang node name, e.g. `evbus-cluster-1a2b3c4d-2@localhost`. */
  readonly nodeName: string;
  /** AMQP URL of the node. */
  readonly url: string;
  readonly port: number;
  /** Whether the node's OS process runs (it may still be booting). */
  isRunning(): boolean;
}

/**
 * Several RabbitMQ nodes of a test's own, clustered, on their own ports and data directories
 * (the shared broker is never touched). Nodes run as the `rabbitmq` user, whose Erlang cookie
 * every node and `rabbitmqctl` share.
 */
export interface PrivateRabbitMqCluster {
  readonly nodes: readonly ClusterNode[];
  /** AMQP URLs of every node, in node order. */
  readonly urls: string[];
  /** Kills the node's OS process with SIGKILL, as a crash would; its data directory stays. */
  kill(node: ClusterNode): Promise<void>;
  /** Starts a killed node again on the same ports and data; resolves once it is back in the cluster. */
  restart(node: ClusterNode): Promise<void>;
  /** The node leading a quorum queue's Raft group, asked of a running node. */
  leaderOf(queue: string): Promise<ClusterNode>;
  /** Members of a quorum queue's Raft group (node names), asked of a running node. */
  membersOf(queue: string): Promise<string[]>;
  /** Nodes the cluster reports running, asked of a running node. */
  runningNodes(): Promise<string[]>;
  /** Enabled feature flags, asked of a running node. */
  enabledFeatureFlags(): Promise<string[]>;
  /** Runs rabbitmqctl against a running node (e.g. list_queues), for checks. */
  ctl(args: readonly string[]): Promise<CommandResult>;
  /** Stops every node and deletes the directories; safe to call twice and after failures. */
  stop(): Promise<void>;
}

/**
 * Starts `size` private nodes and clusters them: the first boots alone, each other one boots,
 * then `stop_app`, `join_cluster <first>`, `start_app`. Always call `stop()` (in `afterAll`).
 * @param size number of nodes (3 for quorum queues that survive the loss of one).
 */
export async function startPrivateRabbitMqCluster(size = 3, startTimeoutMs = 120_000): Promise<PrivateRabbitMqCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'evbus-rabbitmq-cluster-'));
  const id = randomBytes(4).toString('hex');
  const ports = await findFreePorts(size * 2);
  const nodes = Array.from(
    { length: size },
    (_, i) =>
      new Node(`evbus-cluster-${id}-${i + 1}@localhost`, ports[2 * i], ports[2 * i + 1], join(dir, `node-${i + 1}`), startTimeoutMs),
  );
  const cluster = new Cluster(nodes, dir);
  try {
    for (const node of nodes) await node.prepare();
    if (userInfo().uid === 0) await handToRabbitMqUser(dir);
    await nodes[0].boot();
    for (const node of nodes.slice(1)) {
      await node.boot();
      await node.joinCluster(nodes[0].nodeName);
    }
    const running = await cluster.runningNodes();
    if (running.length !== size) throw new Error(`cluster formed with ${running.length} of ${size} nodes: ${running.join(', ')}`);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

class Cluster implements PrivateRabbitMqCluster {
  private stopped = false;

  constructor(
    readonly nodes: Node[],
    private readonly dir: string,
  ) {}

  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  async kill(node: ClusterNode): Promise<void> {
    await this.own(node).kill();
  }

  async restart(node: ClusterNode): Promise<void> {
    await this.own(node).boot();
  }

  async leaderOf(queue: string): Promise<ClusterNode> {
    const leader = (await this.queueInfo(queue, 'leader')).trim();
    const node = this.nodes.find((n) => n.nodeName === leader);
    if (!node) throw new Error(`leader of ${queue} is "${leader}", not a node of this cluster`);
    return node;
  }

  async membersOf(queue: string): Promise<string[]> {
    // `members` prints an Erlang-ish list: [node1@localhost, node2@localhost].
    return [...(await this.queueInfo(queue, 'members')).matchAll(/[\w.-]+@[\w.-]+/g)].map((m) => m[0]);
  }

  async runningNodes(): Promise<string[]> {
    const result = await this.ctl(['eval', 'rabbit_nodes:all_running().']);
    if (result.code !== 0) throw new Error(`rabbitmqctl eval failed: ${result.stderr.trim()}`);
    return [...result.stdout.matchAll(/'?([\w.-]+@[\w.-]+)'?/g)].map((m) => m[1]);
  }

  async enabledFeatureFlags(): Promise<string[]> {
    const result = await this.ctl(['list_feature_flags', '-q', '--no-table-headers', 'name', 'state']);
    if (result.code !== 0) throw new Error(`rabbitmqctl list_feature_flags failed: ${result.stderr.trim()}`);
    return result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, state]) => state === 'enabled')
      .map(([name]) => name);
  }

  ctl(args: readonly string[]): Promise<CommandResult> {
    const node = this.nodes.find((n) => n.isRunning());
    if (!node) throw new Error('no node of the cluster is running');
    return node.ctl(args);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // SIGKILL: a graceful stop of a cluster waits for peers; the data is thrown away anyway.
    await Promise.all(this.nodes.map((n) => n.kill().catch(() => undefined)));
    await rm(this.dir, { recursive: true, force: true });
  }

  private own(node: ClusterNode): Node {
    const own = this.nodes.find((n) => n === node);
    if (!own) throw new Error(`${node.nodeName} is not a node of this cluster`);
    return own;
  }

  private async queueInfo(queue: string, column: 'leader' | 'members'): Promise<string> {
    const result = await this.ctl(['list_queues', '-q', '--no-table-headers', 'name', column]);
    if (result.code !== 0) throw new Error(`rabbitmqctl list_queues failed: ${result.stderr.trim()}`);
    const line = result.stdout.split('\n').find((l) => l.split('\t')[0] === queue);
    if (!line) throw new Error(`queue ${queue} not found on the cluster`);
    return line.slice(queue.length + 1);
  }
}

class Node implements ClusterNode {
  readonly url: string;

  constructor(
    readonly nodeName: string,
    readonly port: number,
    readonly distPort: number,
    readonly dir: string,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `amqp://guest:guest@127.0.0.1:${port}`;
  }

  private get env(): NodeJS.ProcessEnv {
    return rabbitmqNodeEnv(this);
  }

  async prepare(): Promise<void> {
    await Promise.all(['mnesia', 'log', 'conf.d'].map((sub) => mkdir(join(this.dir, sub), { recursive: true })));
    await writeFile(join(this.dir, 'enabled_plugins'), '[].\n');
    // guest may log in from 127.0.0.1 only, which is where the tests connect from.
    await writeFile(join(this.dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${this.port}\n`);
  }

  isRunning(): boolean {
    const pid = readNodePid(this.dir);
    return pid !== undefined && isAlive(pid);
  }

  /** Starts the node in the background and waits until it has booted and listens. */
  async boot(): Promise<void> {
    await rm(pidFileIn(this.dir), { force: true });
    const started = await runCommand('rabbitmq-server', ['-detached'], { env: this.env, timeoutMs: CLI_TIMEOUT_MS });
    if (started.code !== 0) throw new Error(`rabbitmq-server -detached failed for ${this.nodeName}: ${started.stderr.trim()}`);
    await this.awaitStartup();
  }

  /** Joins the cluster of `seed`: `stop_app`, `join_cluster`, `start_app`. */
  async joinCluster(seed: string): Promise<void> {
    for (const args of [['stop_app'], ['join_cluster', seed], ['start_app']]) {
      const result = await this.ctl(args);
      if (result.code !== 0) throw new Error(`rabbitmqctl ${args.join(' ')} on ${this.nodeName} failed: ${result.stderr.trim()}`);
    }
    await this.awaitStartup();
  }

  async kill(): Promise<void> {
    const pid = readNodePid(this.dir);
    if (pid === undefined || !isAlive(pid)) return;
    process.kill(pid, 'SIGKILL');
    await waitUntilDead(pid, 10_000);
  }

  ctl(args: readonly string[]): Promise<CommandResult> {
    return runCommand('rabbitmqctl', ['-n', this.nodeName, ...args], { env: this.env, timeoutMs: CLI_TIMEOUT_MS });
  }

  private async awaitStartup(): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      const awaited = await this.ctl(['await_startup', '--timeout', '10']);
      if (awaited.code === 0 && (await acceptsConnections(this.port))) return;
      const pid = readNodePid(this.dir);
      if (pid !== undefined && !isAlive(pid)) throw new Error(`RabbitMQ node ${this.nodeName} died while booting:\n${nodeLogTail(this)}`);
      await sleep(200);
    }
    throw new Error(`RabbitMQ node ${this.nodeName} did not boot within ${this.startTimeoutMs} ms:\n${nodeLogTail(this)}`);
  }
}
