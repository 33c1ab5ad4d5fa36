import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

/** A service process started from test/fixtures/chaos-service.js. */
export class ChaosChild {
  readonly lines: string[] = [];
  /** Everything the process wrote to stderr (also echoed, prefixed with the instance). */
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(
    readonly instance: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', 'chaos-service.js')], {
      env: { ...process.env, ...env, INSTANCE: instance },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      process.stderr.write(`[${instance}] ${chunk}`);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for a line starting with `prefix` and returns it. */
  async line(prefix: string, timeoutMs = 30_000): Promise<string> {
    await waitFor(() => this.lines.some((l) => l.startsWith(prefix)) || !this.running, {
      timeoutMs,
      message: `${this.instance} to print "${prefix}"`,
    });
    const found = this.lines.find((l) => l.startsWith(prefix));
    if (!found) throw new Error(`${this.instance} exited before printing "${prefix}": ${this.lines.join(' | ')}`);
    return found;
  }

  /** The JSON after `summary ` that the process prints once shut down. */
  async summary<T>(timeoutMs = 60_000): Promise<T> {
    return JSON.parse((await this.line('summary ', timeoutMs)).slice('summary '.length)) as T;
  }

  /** Sends a signal and waits for the exit. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** For afterAll: never leaves a process behind. */
  async dispose(): Promise<void> {
    if (this.running) await this.signal('SIGKILL');
  }
}
