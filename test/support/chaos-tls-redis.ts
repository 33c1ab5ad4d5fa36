import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaosCerts } from './chaos-certs';
import { findFreePort } from './free-port';
import { runCommand } from './run-command';
import { waitFor } from './wait-for';

/** A private redis-server that speaks TLS only, with a password. */
export interface TlsRedis {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Whether the installed redis-server was built with TLS (Debian's is; some builds are not).
 * Synchronous, so a test file can decide at load time which tests to skip.
 */
export function redisSupportsTls(): boolean {
  // The server reports the first directive it does not know and exits without starting: a
  // build without TLS stops at tls-port, one with TLS at the made-up directive after it.
  const probe = spawnSync('redis-server', ['--port', '0', '--tls-port', '0', '--evbus-probe', 'yes'], {
    timeout: 10_000,
    encoding: 'utf8',
  });
  return `${probe.stdout ?? ''}${probe.stderr ?? ''}`.includes('evbus-probe');
}

/**
 * Starts `redis-server --port 0 --tls-port P` with the given server certificate, client
 * certificates not required (`--tls-auth-clients no`), nothing persisted.
 */
export async function startTlsRedis(certs: ChaosCerts, password: string): Promise<TlsRedis> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'evbus-redis-tls-'));
  const logFile = join(dir, 'redis.log');
  const child: ChildProcess = spawn(
    'redis-server',
    // flag/value pairs, one pair per line
    // prettier-ignore
    [
      '--port', '0',
      '--tls-port', String(port),
      '--bind', '127.0.0.1',
      '--tls-cert-file', certs.certFile,
      '--tls-key-file', certs.keyFile,
      '--tls-ca-cert-file', certs.caFile,
      '--tls-auth-clients', 'no',
      '--requirepass', password,
      '--dir', dir,
      '--logfile', logFile,
      '--save', '',
      '--appendonly', 'no',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited while starting:\n${readLog(logFile)}`);
        const args = [
          '--tls',
          '--cacert',
          certs.caFile,
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '--no-auth-warning',
          '-a',
          password,
          'ping',
        ];
        const ping = await runCommand('redis-cli', args, { timeoutMs: 2_000 });
        return ping.stdout.trim() === 'PONG';
      },
      { timeoutMs: 10_000, intervalMs: 50, message: `TLS redis-server on ${port}` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
