import { connect as amqpConnect } from 'amqplib';
import { Redis } from 'ioredis';

/** Where a service lives, without its credentials (the demo never prints a password). */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
};

/**
 * Logs in to RabbitMQ once, as the services will. Resolves with a one-line hint when that
 * fails (nothing listening, login refused), or `undefined` when all is well.
 */
export async function rabbitMqProblem(url: string, timeoutMs = 5_000): Promise<string | undefined> {
  try {
    const connection = await amqpConnect(url, { timeout: timeoutMs });
    await connection.close();
    return undefined;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) {
      return `RabbitMQ at ${hostOf(url)} refused the login: check the user and password in RABBITMQ_URL`;
    }
    return `cannot reach RabbitMQ at ${hostOf(url)} (${firstLine(message)}): start it with \`docker compose up -d\`, or set RABBITMQ_URL`;
  }
}

/** Connects to Redis once and sends PING; a one-line hint when that fails, else `undefined`. */
export async function redisProblem(url: string, timeoutMs = 5_000): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: string | undefined;
  client.on('error', (err: Error) => (lastError = err.message)); // the cause the failed connect() below reports only as "closed"
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    const message = lastError ?? (err as Error).message ?? String(err);
    if (/WRONGPASS|NOAUTH|invalid password|no password is set/i.test(message)) {
      return `Redis at ${hostOf(url)} refused the connection (${firstLine(message)}): check the password in REDIS_URL`;
    }
    return `cannot reach Redis at ${hostOf(url)} (${firstLine(message)}): start it with \`docker compose up -d\`, or set REDIS_URL`;
  } finally {
    client.disconnect();
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}

/**
 * Connects to PostgreSQL once (the auth and KYC samples keep their data and their outbox/inbox
 * there). When nothing answers on this machine and a Debian cluster is installed, starts it
 * with `pg_ctlcluster` first. A one-line hint when that fails, else `undefined`.
 */
export async function postgresProblem(url: string): Promise<string | undefined> {
  const { Client } = await import('pg');
  const tryConnect = async (): Promise<string | undefined> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      return firstLine((err as Error).message ?? String(err));
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  let problem = await tryConnect();
  if (problem && /ECONNREFUSED/.test(problem) && /^(127\.0\.0\.1|localhost)(:5432)?$/.test(hostOf(url)) && (await startLocalPostgres())) {
    for (let i = 0; i < 30 && problem; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the cluster needs a moment after pg_ctlcluster returns
      problem = await tryConnect();
    }
  }
  return problem && `cannot reach PostgreSQL at ${hostOf(url)} (${problem}): start it with \`docker compose up -d\`, or set DATABASE_URL`;
}

/** Starts the newest local Debian PostgreSQL cluster; false when there is none. */
async function startLocalPostgres(): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  const { readdir } = await import('node:fs/promises');
  const versions = await readdir('/etc/postgresql').catch(() => [] as string[]);
  const version = versions.sort((a, b) => Number(a) - Number(b)).pop();
  if (!version) return false;
  return new Promise((resolve) =>
    execFile('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], (error) =>
      resolve(!error || /already running/.test(error.message)),
    ),
  );
}
