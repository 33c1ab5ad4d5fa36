import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A process running one of test/fixtures/*.js, with its output read line by line. */
export interface FixtureProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process prints `ready`; rejects if it exits first. */
  ready: Promise<void>;
  /** Kills it with SIGKILL (if still running) and resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts `test/fixtures/<script>` with the test's environment plus `env`, handing every line it
 * prints to `onLine`. Its stderr is kept for the error of a process that dies before `ready`.
 */
export function startFixture(script: string, name: string, env: Record<string, string>, onLine?: (line: string) => void): FixtureProcess {
  const child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve();
        onLine?.(line);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined); // observed by whoever awaits it; a later kill must not be unhandled
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    ready,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
