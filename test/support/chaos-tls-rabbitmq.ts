import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosCerts } from './chaos-certs';
import { findFreePorts } from './free-port';
import { runCommand, type CommandResult } from './run-command';
import { acceptsConnections } from './tcp-probe';
import { handToRabbitMqUser, isAlive, nodeLogTail, rabbitmqNodeEnv, readNodePid } from './rabbitmq-node-dir';

/** A private RabbitMQ node with a TLS listener next to its plain one. */
export interface TlsRabbitMq {
  readonly nodeName: string;
  readonly port: number;
  readonly tlsPort: number;
  /** Creates a user with full rights on `/`, so a test controls the password in its URLs. */
  addUser(user: string, password: string): Promise<void>;
  /** Closes every client connection from the broker side; the node keeps running. */
  closeAllConnections(): Promise<void>;
  /** Stops the node and deletes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a node like test/support/private-rabbitmq.ts does — own name, ports and directory,
 * every machine-wide file replaced by its own — plus `listeners.ssl.default` with the given
 * server certificate. The certificate files are copied into the node's directory, which is
 * handed to the `rabbitmq` user the packaged scripts switch to, so the node can read them.
 */
export async function startTlsRabbitMq(certs: ChaosCerts, startTimeoutMs = 60_000): Promise<TlsRabbitMq> {
  const [port, tlsPort, distPort] = await findFreePorts(3);
  const dir = await mkdtemp(join(tmpdir(), 'evbus-rabbitmq-tls-'));
  const node = new TlsNode(`evbus-tls-${randomBytes(4).toString('hex')}@localhost`, port, tlsPort, distPort, dir);
  try {
    await node.prepare(certs);
    await node.boot(startTimeoutMs);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}

class TlsNode implements TlsRabbitMq {
  private stopped = false;

  constructor(
    readonly nodeName: string,
    readonly port: number,
    readonly tlsPort: number,
    readonly distPort: number,
    readonly dir: string,
  ) {}

  private get env(): NodeJS.ProcessEnv {
    return rabbitmqNodeEnv(this);
  }

  async prepare(certs: ChaosCerts): Promise<void> {
    await Promise.all(['mnesia', 'log', 'conf.d', 'certs'].map((sub) => mkdir(join(this.dir, sub))));
    const cert = (name: string) => join(this.dir, 'certs', name);
    await Promise.all([
      copyFile(certs.caFile, cert('ca.pem')),
      copyFile(certs.certFile, cert('server.pem')),
      copyFile(certs.keyFile, cert('server.key')),
      writeFile(join(this.dir, 'enabled_plugins'), '[].\n'),
      writeFile(
        join(this.dir, 'rabbitmq.conf'),
        [
          `listeners.tcp.default = 127.0.0.1:${this.port}`,
          `listeners.ssl.default = 127.0.0.1:${this.tlsPort}`,
          `ssl_options.cacertfile = ${cert('ca.pem')}`,
          `ssl_options.certfile = ${cert('server.pem')}`,
          `ssl_options.keyfile = ${cert('server.key')}`,
          // Clients are not asked for certificates: the tests check the server side only.
          'ssl_options.verify = verify_none',
          'ssl_options.fail_if_no_peer_cert = false',
          '',
        ].join('\n'),
      ),
    ]);
    if (userInfo().uid === 0) await handToRabbitMqUser(this.dir);
  }

  async boot(startTimeoutMs: number): Promise<void> {
    const started = await runCommand('rabbitmq-server', ['-detached'], { env: this.env, timeoutMs: 30_000 });
    if (started.code !== 0) throw new Error(`rabbitmq-server -detached failed for ${this.nodeName}: ${started.stderr.trim()}`);
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      // Fails at once until the node registered with epmd; short rounds let a dead boot show.
      const awaited = await this.ctl(['await_startup', '--timeout', '5']);
      if (awaited.code === 0 && (await acceptsConnections(this.port)) && (await acceptsConnections(this.tlsPort))) return;
      await sleep(200);
    }
    throw new Error(`TLS RabbitMQ node ${this.nodeName} did not boot within ${startTimeoutMs} ms:\n${nodeLogTail(this)}`);
  }

  async addUser(user: string, password: string): Promise<void> {
    for (const args of [
      ['add_user', user, password],
      ['set_permissions', '-p', '/', user, '.*', '.*', '.*'],
    ]) {
      const result = await this.ctl(args);
      if (result.code !== 0) throw new Error(`rabbitmqctl ${args[0]} failed: ${result.stderr.trim()}`);
    }
  }

  async closeAllConnections(): Promise<void> {
    const result = await this.ctl(['close_all_connections', 'closed by test']);
    if (result.code !== 0) throw new Error(`close_all_connections failed: ${result.stderr.trim()}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pid = readNodePid(this.dir);
    await this.ctl(['stop']);
    if (pid !== undefined) {
      const deadline = Date.now() + 30_000;
      while (isAlive(pid) && Date.now() < deadline) await sleep(50);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private ctl(args: readonly string[]): Promise<CommandResult> {
    return runCommand('rabbitmqctl', ['-n', this.nodeName, ...args], { env: this.env, timeoutMs: 30_000 });
  }
}
