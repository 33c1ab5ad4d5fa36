import type { SqlExecutor, SqlResult } from './sql-executor.interface';

/** What the outbox needs of a `pg` `Client` / `PoolClient`. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** A `pg` client (a `PoolClient` inside `BEGIN` ... `COMMIT`) as a `SqlExecutor`. */
export function pgExecutor(client: PgClientLike, kind = 'pg client'): SqlExecutor {
  return {
    kind,
    connection: client,
    // pg keeps no public transaction state; the outbox's insert checks it in SQL instead.
    closedReason: () => undefined,
    query: async (sql, params = []): Promise<SqlResult> => {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
  };
}
