import { execFile } from 'node:child_process';

/** Outcome of a finished command; a non-zero exit is data here, not an exception. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run a command. */
export interface RunOptions {
  /** Extra environment variables, merged over the current process environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The command is killed after this long and reported with a non-zero code. */
  readonly timeoutMs?: number;
}

/**
 * Runs a program without a shell and collects its output.
 * Callers decide what a failure means (a missing node is expected when probing), so this
 * never rejects; a program that cannot be started at all yields code 127.
 * @param file program name, looked up on PATH.
 * @param args its arguments.
 * @param options environment and timeout.
 */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const raw = (error as NodeJS.ErrnoException).code;
          code = typeof raw === 'number' ? raw : raw === 'ENOENT' ? 127 : 1;
        }
        resolve({ code, stdout: String(stdout), stderr: error && !stderr ? error.message : String(stderr) });
      },
    );
  });
}
