import type { SqlExecutor, SqlResult } from './sql-executor.interface';

/**
 * What the outbox needs of a TypeORM `QueryRunner` (structurally, so TypeORM stays optional):
 * its transaction state and `query` with a structured result.
 */
export interface TypeOrmQueryRunnerLike {
  readonly isReleased: boolean;
  readonly isTransactionActive: boolean;
  query(sql: string, parameters: unknown[] | undefined, useStructuredResult: true): Promise<{ records: unknown[]; affected?: number }>;
}

/** A TypeORM `EntityManager`; only one from `dataSource.transaction(...)` (it has a `queryRunner`) is a transaction. */
export interface TypeOrmEntityManagerLike {
  readonly queryRunner?: TypeOrmQueryRunnerLike;
  readonly connection: object;
}

/** Whether `value` looks like a TypeORM `QueryRunner`. */
export function isTypeOrmQueryRunner(value: object): value is TypeOrmQueryRunnerLike {
  return 'isTransactionActive' in value && 'isReleased' in value && typeof (value as { query?: unknown }).query === 'function';
}

/** Whether `value` looks like a TypeORM `EntityManager`. */
export function isTypeOrmEntityManager(value: object): value is TypeOrmEntityManagerLike {
  // `queryRunner` is only set on a transaction's manager, so it cannot be what identifies one.
  const v = value as { transaction?: unknown; getRepository?: unknown };
  return 'connection' in value && typeof v.transaction === 'function' && typeof v.getRepository === 'function';
}

/**
 * A TypeORM `QueryRunner` (or the `EntityManager` of `dataSource.transaction(manager => ...)`)
 * as a `SqlExecutor`. TypeORM knows whether the transaction is still open, so a closed one is
 * refused before any SQL is sent.
 */
export function typeOrmExecutor(tx: TypeOrmQueryRunnerLike | TypeOrmEntityManagerLike): SqlExecutor {
  const isRunner = isTypeOrmQueryRunner(tx);
  const kind = isRunner ? 'TypeORM QueryRunner' : 'TypeORM EntityManager';
  const runner = isRunner ? tx : tx.queryRunner;
  return {
    kind,
    // The pg connection under the runner, once it has one: the same across transactions.
    connection: ((runner as { databaseConnection?: object } | undefined)?.databaseConnection ?? runner ?? tx) as object,
    closedReason: () => {
      if (!runner) return 'this EntityManager is not bound to a transaction (use the manager dataSource.transaction() hands you)';
      if (runner.isReleased) return 'its QueryRunner was released';
      if (!runner.isTransactionActive) return 'its QueryRunner has no active transaction (committed, rolled back or never started)';
      return undefined;
    },
    query: async (sql, params = []): Promise<SqlResult> => {
      if (!runner) throw new Error('EntityManager without a QueryRunner');
      const result = await runner.query(sql, [...params], true);
      const rows = (Array.isArray(result.records) ? result.records : []) as Record<string, unknown>[];
      return { rows, rowCount: typeof result.affected === 'number' ? result.affected : rows.length };
    },
  };
}
