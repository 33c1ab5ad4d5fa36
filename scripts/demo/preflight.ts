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
