import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { TIMELINE_PREFIX, type TimelineEntry } from '../../apps/shared/src/timeline';

/** The four sample services, in start order. */
export const SAMPLE_SERVICES = ['auth', 'email', 'kyc', 'documents'] as const;
export type SampleServiceName = (typeof SAMPLE_SERVICES)[number];

/** A timeline line as read back from a service, with the service's short name. */
export interface ObservedEntry extends TimelineEntry {
  at: string;
  service: SampleServiceName;
}

/** A running sample service. */
export interface RunningService {
  name: SampleServiceName;
  url: string;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`); resolves with how it ended. */
  stop(graceMs?: number): Promise<string>;
}

/** The repository root: the nearest folder up with nest-cli.json (this file runs from scripts/ and from dist/scripts/). */
function repositoryRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'nest-cli.json'))) return dir;
  throw new Error(`no repository root above ${from}`);
}
const ROOT = repositoryRoot(__dirname);
const mainOf = (name: SampleServiceName) => join(ROOT, 'dist', 'apps', name, 'src', 'main.js');

/**
 * Starts one built sample service as a child process on a free port and resolves once it
 * listens. Its timeline lines go to `onEntry`; other output goes to `onLog` (the services'
 * own logs), so a caller can show or keep them.
 */
export function launchService(
  name: SampleServiceName,
  options: {
    namespace: string;
    env: NodeJS.ProcessEnv;
    onEntry: (e: ObservedEntry) => void;
    onLog?: (line: string) => void;
    readyTimeoutMs?: number;
  },
): Promise<RunningService> {
  const serviceName = `${options.namespace}${name}`;
  const child = spawn(process.execPath, [mainOf(name)], {
    env: { ...process.env, ...options.env, SERVICE_NAME: serviceName, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 15) recent.shift();
    options.onLog?.(`${name}: ${line}`);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${options.readyTimeoutMs ?? 30_000} ms`)),
      options.readyTimeoutMs ?? 30_000,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('exit', (code) => fail(new Error(`${name} exited with code ${code} before it was ready: ${startupErrorOf(recent)}`)));
    createInterface({ input: child.stderr }).on('line', log);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(TIMELINE_PREFIX)) return log(line);
      const entry = JSON.parse(line.slice(TIMELINE_PREFIX.length)) as ObservedEntry;
      entry.service = name;
      if (entry.event === 'service' && entry.outcome === 'ready') {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ name, url: String(entry.detail), stop: (graceMs) => stopChild(child, graceMs) });
        return;
      }
      options.onEntry(entry);
    });
  });
}

/** The line of a failed start that says why (the error's own line, colours removed), or the last line. */
function startupErrorOf(lines: readonly string[]): string {
  // eslint-disable-next-line no-control-regex
  const plain = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim());
  const errorLine = plain.find((l) => /\b\w*Error\b: /.test(l));
  return errorLine ? errorLine.slice(errorLine.search(/\b\w*Error\b: /)) : (plain.at(-1) ?? 'no output');
}

/** `exit 0`, `SIGTERM` (Nest re-raises the signal after its shutdown hooks ran), ... */
function stopChild(child: ChildProcess, graceMs = 15_000): Promise<string> {
  if (child.exitCode !== null) return Promise.resolve(`exit ${child.exitCode}`);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
    child.kill('SIGTERM');
  });
}

/** Starts all four sample services (in parallel) and resolves when each listens. */
export async function launchSampleServices(
  options: Parameters<typeof launchService>[1],
): Promise<Record<SampleServiceName, RunningService>> {
  const started = await Promise.allSettled(SAMPLE_SERVICES.map((name) => launchService(name, options)));
  const running = started.filter((s): s is PromiseFulfilledResult<RunningService> => s.status === 'fulfilled').map((s) => s.value);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await Promise.all(running.map((s) => s.stop()));
    throw failure.reason;
  }
  return Object.fromEntries(running.map((s) => [s.name, s])) as Record<SampleServiceName, RunningService>;
}
