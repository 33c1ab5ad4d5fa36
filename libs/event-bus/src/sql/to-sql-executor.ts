import { pgExecutor, type PgClientLike } from './pg-executor';
import { isPrismaTransaction, prismaExecutor, type PrismaTransactionLike } from './prisma-executor';
import type { SqlExecutor } from './sql-executor.interface';
import {
  isTypeOrmEntityManager,
  isTypeOrmQueryRunner,
  typeOrmExecutor,
  type TypeOrmEntityManagerLike,
  type TypeOrmQueryRunnerLike,
} from './typeorm-executor';

/**
 * A transaction as users of Nest hold it: a `pg` `PoolClient` / `Client` inside `BEGIN`, a
 * TypeORM `EntityManager` (from `dataSource.transaction`) or `QueryRunner`, a Prisma
 * interactive transaction, or any `SqlExecutor`.
 */
export type OutboxTransaction = PgClientLike | TypeOrmEntityManagerLike | TypeOrmQueryRunnerLike | PrismaTransactionLike | SqlExecutor;

function isSqlExecutor(value: object): value is SqlExecutor {
  const v = value as Partial<SqlExecutor>;
  return typeof v.query === 'function' && typeof v.closedReason === 'function' && typeof v.kind === 'string';
}

/**
 * Recognises which kind of transaction `tx` is and wraps it. TypeORM and Prisma are told
 * apart by their own members before falling back to a `pg` client, which has only `query`.
 * @returns the executor, or `undefined` when `tx` is none of the supported kinds
 */
export function toSqlExecutor(tx: unknown): SqlExecutor | undefined {
  if (typeof tx !== 'object' || tx === null) return undefined;
  if (isSqlExecutor(tx)) return tx;
  if (isTypeOrmQueryRunner(tx) || isTypeOrmEntityManager(tx)) return typeOrmExecutor(tx);
  if (isPrismaTransaction(tx)) return prismaExecutor(tx);
  if (typeof (tx as { query?: unknown }).query === 'function') return pgExecutor(tx as PgClientLike);
  return undefined;
}
