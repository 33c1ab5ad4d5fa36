import { randomBytes } from 'node:crypto';

/** Broker URL of the shared test broker (override with RABBITMQ_URL). */
export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Redis URL of the shared test server (override with REDIS_URL). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name no other test (or earlier run) uses: `t-<label>-<random>`. */
export function uniqueName(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

/** Exchange, dead-letter exchange and key prefix of one test. */
export interface TestTopology {
  exchange: string;
  deadLetterExchange: string;
  keyPrefix: string;
}

/** Fresh exchanges and Redis prefix, so tests never see each other's events. */
export function uniqueTopology(label: string): TestTopology {
  const base = uniqueName(label);
  return { exchange: `${base}.events`, deadLetterExchange: `${base}.dlx`, keyPrefix: `${base}:` };
}

/** Deletes every Redis key under a test's prefix. */
export async function deleteKeys(
  redis: { keys(pattern: string): Promise<string[]>; del(...keys: string[]): Promise<number> },
  prefix: string,
): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
