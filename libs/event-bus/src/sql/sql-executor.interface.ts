/** Rows and count of one statement, whatever driver ran it. */
export interface SqlResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/**
 * One open connection or transaction, as the outbox and the inbox speak to it: the caller's
 * `pg` client, a TypeORM `EntityManager` / `QueryRunner` or a Prisma interactive transaction,
 * each behind an adapter (see `toSqlExecutor`). Statements use `$1, $2, ...` placeholders.
 */
export interface SqlExecutor {
  /** Runs one statement. */
  query(sql: string, params?: readonly unknown[]): Promise<SqlResult>;
  /** What the caller handed in, named in errors (`pg client`, `TypeORM EntityManager`, ...). */
  readonly kind: string;
  /**
   * Identity of the underlying database connection: the same object for every statement on it,
   * so facts about the connection (its database) are looked up once.
   */
  readonly connection: object;
  /** A reason the transaction is known to be over, when the driver can tell without a round trip. */
  closedReason(): string | undefined;
}
