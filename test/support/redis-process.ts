import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from './run-command';

/**
 * One redis-server (or sentinel) child process of a test, on its own port and in its own
 * directory, keeping nothing on disk. The private server of `startPrivateRedis` is one with no
 * extra settings; the Sentinel and Cluster setups add theirs (replicas, sentinel mode, cluster mode).
 */
export class RedisProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  /**
   * @param port TCP port on 127.0.0.1.
   * @param dir the process's own directory (config, log, cluster state).
   * @param settings extra `redis.conf` lines (e.g. `replicaof 127.0.0.1 1234`, `cluster-enabled yes`).
   * @param sentinel run as a sentinel instead of a server.
   * @param password what `cli()` authenticates with (the server's `requirepass`).
   */
  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly settings: readonly string[],
    private readonly sentinel = false,
    private readonly password?: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private get logFile(): string {
    return join(this.dir, `redis-${this.port}.log`);
  }

  /** Writes the config, spawns the process in the foreground (this test owns it) and waits for PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    const config = join(this.dir, `redis-${this.port}.conf`);
    const lines = [
      `port ${this.port}`,
      'bind 127.0.0.1',
      `dir ${this.dir}`,
      `logfile ${this.logFile}`,
      'daemonize no',
      ...(this.sentinel ? [] : ['save ""', 'appendonly no']),
      ...this.settings,
    ];
    await writeFile(config, `${lines.join('\n')}\n`);
    const child = spawn('redis-server', this.sentinel ? [config, '--sentinel'] : [config], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.cli('ping')).trim() === 'PONG') return;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis on port ${this.port} exited:\n${this.logTail()}`);
      await sleep(50);
    }
    throw new Error(`redis on port ${this.port} did not answer PING within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** Runs `redis-cli` against this process; returns its output ('' when it failed). */
  async cli(...args: string[]): Promise<string> {
    const auth = this.password ? ['-a', this.password, '--no-auth-warning'] : [];
    const result = await runCommand('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...auth, ...args], { timeoutMs: 5_000 });
    return result.code === 0 ? result.stdout : '';
  }

  /** Sends `signal` (SIGKILL: a crash) and waits for the exit; safe to call when not running. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = new AbortController();
    const gone = await Promise.race([this.exited.then(() => true), sleep(10_000, false, { signal: timer.signal }).catch(() => true)]);
    timer.abort();
    if (!gone) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
