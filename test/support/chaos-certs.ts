import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command';

/** A throw-away certificate authority and one server certificate it signed, as PEM files. */
export interface ChaosCerts {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate, for a client's `tls.ca`. */
  readonly ca: Buffer;
  remove(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await runCommand(
    'openssl',
    args.map((a) => a.replace('{dir}', cwd)),
    { timeoutMs: 60_000 },
  );
  if (result.code !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

/**
 * Makes a self-signed CA and a server certificate for `localhost` and 127.0.0.1 (the names
 * clients check) with `openssl`, in a temporary directory. Valid for two days: a test run.
 */
export async function createCerts(): Promise<ChaosCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'evbus-certs-'));
  try {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=evbus chaos test CA',
        '-keyout',
        '{dir}/ca.key',
        '-out',
        '{dir}/ca.pem',
      ],
      dir,
    );
    await openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', '{dir}/server.key', '-out', '{dir}/server.csr'],
      dir,
    );
    await writeFile(
      join(dir, 'server.ext'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
    );
    await openssl(
      [
        'x509',
        '-req',
        '-days',
        '2',
        '-in',
        '{dir}/server.csr',
        '-CA',
        '{dir}/ca.pem',
        '-CAkey',
        '{dir}/ca.key',
        '-CAcreateserial',
        '-extfile',
        '{dir}/server.ext',
        '-out',
        '{dir}/server.pem',
      ],
      dir,
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    ca: await readFile(join(dir, 'ca.pem')),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
