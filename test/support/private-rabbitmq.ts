import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePorts } from './free-port';
import { CommandResult, runCommand } from './run-command';
import { acceptsConnections } from './tcp-probe';
import { handToRabbitMqUser, isAlive, nodeLogTail, pidFileIn, rabbitmqNodeEnv, readNodePid, waitUntilDead } from './rabbitmq-node-dir';

/**
 * A RabbitMQ node of a test's own, on its own ports and data directory, so the test can
 * drop, kill and restart it without disturbing the shared broker other tests use.
 */
export interface PrivateRabbitMq {
  /** AMQP URL of the node, e.g. `amqp://guest:guest@127.0.0.1:21345`. */
  readonly url: string;
  /** AMQP port on 127.0.0.1. */
  readonly port: number;
  /** Erlang node name, e.g. `evbus-test-1a2b3c4d@localhost`. */
  readonly nodeName: string;
  /** Closes every client connection from the broker side; the node keeps running. */
  closeAllConnections(reason?: string): Promise<void>;
  /** Kills the node's OS process with SIGKILL, as a crash would; the data directory stays. */
  kill(): Promise<void>;
  /** Starts the node again on the same ports and data directory (stopping it first if it runs). */
  restart(): Promise<void>;
  /** Stops the node and deletes its directory; safe to call twice and after `kill()`. */
  stop(): Promise<void>;
}

/** Tuning for {@link startPrivateRabbitMq}. */
export interface PrivateRabbitMqOptions {
  /** Longest wait for the node to finish booting, per start or restart. Default 60 s. */
  readonly startTimeoutMs?: number;
}

const CLI_TIMEOUT_MS = 30_000;

/**
 * Starts a private RabbitMQ node and waits until it accepts AMQP connections.
 * Needs the `rabbitmq-server` and `rabbitmqctl` scripts on the machine (no Docker). When run
 * as root, the node's directory is handed to the `rabbitmq` user, which the packaged scripts
 * switch to. Always call `stop()` (e.g. in `afterAll`), or the node outlives the test run.
 * @param options start timeout.
 * @returns a handle to the running node.
 */
export async function startPrivateRabbitMq(options: PrivateRabbitMqOptions = {}): Promise<PrivateRabbitMq> {
  const [port, distPort] = await findFreePorts(2);
  const dir = await mkdtemp(join(tmpdir(), 'evbus-rabbitmq-'));
  const node = new PrivateRabbitMqNode(
    `evbus-test-${randomBytes(4).toString('hex')}@localhost`,
    port,
    distPort,
    dir,
    options.startTimeoutMs ?? 60_000,
  );
  try {
    await node.prepare();
    await node.boot();
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}

class PrivateRabbitMqNode implements PrivateRabbitMq {
  readonly url: string;
  private stopped = false;

  constructor(
    readonly nodeName: string,
    readonly port: number,
    readonly distPort: number,
    readonly dir: string,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `amqp://guest:guest@127.0.0.1:${port}`;
  }

  /** Every location the node would read from the machine-wide installation points into its directory. */
  private get env(): NodeJS.ProcessEnv {
    return rabbitmqNodeEnv(this);
  }

  /** Lays out the private directory and hands it to the user the node runs as. */
  async prepare(): Promise<void> {
    await Promise.all(['mnesia', 'log', 'conf.d'].map((sub) => mkdir(join(this.dir, sub))));
    await writeFile(join(this.dir, 'enabled_plugins'), '[].\n');
    await writeFile(join(this.dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${this.port}\n`);
    if (userInfo().uid === 0) await handToRabbitMqUser(this.dir);
  }

  /** Starts the node in the background and waits until it has booted and listens. */
  async boot(): Promise<void> {
    // A pid file left by a killed node would make the boot look dead before the new node
    // has written its own.
    await rm(pidFileIn(this.dir), { force: true });
    const started = await runCommand('rabbitmq-server', ['-detached'], { env: this.env, timeoutMs: CLI_TIMEOUT_MS });
    if (started.code !== 0) {
      throw new Error(`rabbitmq-server -detached failed for ${this.nodeName}: ${started.stderr.trim()}`);
    }
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      // await_startup fails at once while the node is not yet registered with epmd, and
      // otherwise blocks until boot completes; short rounds let a crashed boot show up fast.
      const awaited = await this.ctl(['await_startup', '--timeout', '5']);
      if (awaited.code === 0 && (await acceptsConnections(this.port))) {
        return;
      }
      const pid = readNodePid(this.dir);
      if (pid !== undefined && !isAlive(pid)) {
        throw new Error(`RabbitMQ node ${this.nodeName} died while booting:\n${nodeLogTail(this)}`);
      }
      await sleep(200);
    }
    throw new Error(`RabbitMQ node ${this.nodeName} did not boot within ${this.startTimeoutMs} ms:\n${nodeLogTail(this)}`);
  }

  async closeAllConnections(reason = 'closed by test'): Promise<void> {
    const result = await this.ctl(['close_all_connections', reason]);
    if (result.code !== 0) {
      throw new Error(`close_all_connections on ${this.nodeName} failed: ${result.stderr.trim()}`);
    }
  }

  async kill(): Promise<void> {
    const pid = readNodePid(this.dir);
    if (pid === undefined || !isAlive(pid)) {
      return;
    }
    process.kill(pid, 'SIGKILL');
    await waitUntilDead(pid, 10_000);
  }

  async restart(): Promise<void> {
    if (this.stopped) {
      throw new Error(`RabbitMQ node ${this.nodeName} was stopped for good; start a new one`);
    }
    await this.halt();
    await this.boot();
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    await this.halt();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Stops the node gracefully, and by force if it does not go. Leaves the data in place. */
  private async halt(): Promise<void> {
    const pid = readNodePid(this.dir);
    if (pid === undefined) {
      // A node still early in its boot has not written its pid file yet.
      await this.ctl(['stop']);
      return;
    }
    if (!isAlive(pid)) {
      return;
    }
    // `stop` returns once the node has agreed to halt; the exit is watched here, because
    // `stop <pid_file>` polls for it only about once a second.
    await this.ctl(['stop']);
    try {
      await waitUntilDead(pid, 30_000);
    } catch {
      process.kill(pid, 'SIGKILL');
      await waitUntilDead(pid, 10_000);
    }
  }

  private ctl(args: readonly string[]): Promise<CommandResult> {
    return runCommand('rabbitmqctl', ['-n', this.nodeName, ...args], { env: this.env, timeoutMs: CLI_TIMEOUT_MS });
  }
}
