import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DEFAULT_DATABASE_URL, serviceSchema } from '../../apps/shared/src/sample-postgres.module';

/** The shared test database (override with DATABASE_URL). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A URL of the same server, another database (`postgres` always exists). */
export function otherDatabaseUrl(): string {
  const url = new URL(DATABASE_URL);
  url.pathname = '/postgres';
  return url.toString();
}

/** A schema name no other test uses: `t_<label>_<random>`. */
export function uniqueSchema(label: string): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}

/** A small pool on the test database. Call `end()` after the test. */
export function testPool(max = 10, url = DATABASE_URL): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined); // a killed connection must not crash the test run
  return pool;
}

/** Drops a test's schema with everything in it. */
export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Outbox rows per state in `schema`. */
export async function outboxStates(pool: Pool, schema: string): Promise<Record<string, number>> {
  const { rows } = await pool.query(`SELECT state, count(*)::int AS n FROM "${schema}".outbox GROUP BY state`);
  return Object.fromEntries(rows.map((r: { state: string; n: number }) => [r.state, r.n]));
}

/** Whether some backend waits for a lock (an advisory lock, a row lock) now. */
export async function someoneWaitsForALock(pool: Pool, locktype: 'advisory' | 'transactionid'): Promise<boolean> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = $1', [locktype]);
  return rows[0].n > 0;
}

/**
 * Drops the schemas the sample services created for these service names (each keeps its tables
 * and outbox/inbox in a schema named after it, in the samples' default database).
 */
export async function dropSampleServiceSchemas(serviceNames: readonly string[], url = sampleDatabaseUrl()): Promise<void> {
  const pool = testPool(1, url);
  try {
    for (const name of serviceNames) await dropSchema(pool, serviceSchema(name));
  } finally {
    await pool.end();
  }
}

/** Where the sample services keep their data when DATABASE_URL is not set. */
function sampleDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}
