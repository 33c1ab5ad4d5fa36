import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './free-port';
import { runCommand } from './run-command';

/**
 * A redis-server of a test's own, on its own port, so the test can kill and restart it
 * without disturbing the shared Redis other tests use. It keeps nothing on disk, so a
 * restart comes back empty.
 */
export interface PrivateRedis {
  /** Redis URL of the server, e.g. `redis://127.0.0.1:21346`. */
  readonly url: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** Stops the server (SIGTERM) and deletes its directory; safe to call twice and after `kill()`. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (stopping it first if it runs). */
  restart(): Promise<void>;
}

/** Tuning for {@link startPrivateRedis}. */
export interface PrivateRedisOptions {
  /** Longest wait for the server to answer PING, per start or restart. Default 10 s. */
  readonly startTimeoutMs?: number;
}

/**
 * Starts a private redis-server as a child process and waits until it answers PING.
 * Needs `redis-server` and `redis-cli` on PATH. Always call `stop()` (e.g. in `afterAll`):
 * the child is not tied to the test process and would outlive it.
 * @param options start timeout.
 * @returns a handle to the running server.
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'evbus-redis-'));
  const server = new PrivateRedisServer(port, dir, options.startTimeoutMs ?? 10_000);
  try {
    await server.boot();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

class PrivateRedisServer implements PrivateRedis {
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  private get logFile(): string {
    return join(this.dir, 'redis.log');
  }

  /** Spawns the server in the foreground so this process owns it, then waits for PING. */
  async boot(): Promise<void> {
    const child = spawn(
      'redis-server',
      // flag/value pairs, one pair per line
      // prettier-ignore
      [
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--dir', this.dir,
        '--logfile', this.logFile,
        '--save', '',
        '--appendonly', 'no',
        '--daemonize', 'no',
      ],
      { stdio: 'ignore' },
    );
    let running = true;
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      // A missing binary reports 'error' and never 'exit'.
      child.once('error', () => resolve());
    });
    void this.exited.then(() => {
      running = false;
    });

    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      const ping = await runCommand('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'ping'], { timeoutMs: 2_000 });
      if (ping.code === 0 && ping.stdout.trim() === 'PONG') {
        return;
      }
      if (!running) {
        throw new Error(`redis-server on port ${this.port} exited while starting:\n${this.logTail()}`);
      }
      await sleep(50);
    }
    throw new Error(`redis-server on port ${this.port} did not answer PING within ${this.startTimeoutMs} ms:\n${this.logTail()}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    await this.terminate('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  async restart(): Promise<void> {
    if (this.stopped) {
      throw new Error(`private redis on port ${this.port} was stopped for good; start a new one`);
    }
    await this.terminate('SIGTERM');
    await this.boot();
  }

  /** Sends `signal` and waits for the exit, escalating to SIGKILL if the server lingers. */
  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    child.kill(signal);
    const timer = new AbortController();
    const gone = await Promise.race([this.exited.then(() => true), sleep(10_000, false, { signal: timer.signal }).catch(() => true)]);
    // Cancelled so a pending timer does not keep the test process alive.
    timer.abort();
    if (!gone) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return `(no log at ${this.logFile})`;
    }
  }
}
