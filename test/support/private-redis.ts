import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { RedisProcess } from './redis-process';

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

/** The private server's handle: one {@link RedisProcess} with no extra settings. */
class PrivateRedisServer implements PrivateRedis {
  readonly url: string;
  private readonly process: RedisProcess;
  private stopped = false;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    this.process = new RedisProcess(port, dir, []);
  }

  /** Spawns the server in the foreground so this process owns it, then waits for PING. */
  async boot(): Promise<void> {
    await this.process.start(this.startTimeoutMs);
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    await this.process.stop('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  async kill(): Promise<void> {
    await this.process.stop('SIGKILL');
  }

  async restart(): Promise<void> {
    if (this.stopped) {
      throw new Error(`private redis on port ${this.port} was stopped for good; start a new one`);
    }
    await this.process.stop('SIGTERM');
    await this.boot();
  }
}
