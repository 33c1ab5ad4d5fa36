import { postgresSchemaSql } from './postgres-schema.sql';
import { inPoolTransaction } from './pool-transaction';
import type { PgPoolLike } from './transaction-runner';

/**
 * Creates the outbox and inbox tables in `schema` (nothing happens when they exist). One
 * transaction under an advisory lock, so instances starting together with `ensureSchema` do
 * not race on `CREATE ... IF NOT EXISTS`.
 */
export async function migratePostgresSchema(pool: PgPoolLike, schema: string): Promise<void> {
  await inPoolTransaction(pool, async (client) => {
    await client.query('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`event-bus-migrate:${schema}`]);
    await client.query(postgresSchemaSql(schema));
  });
}
