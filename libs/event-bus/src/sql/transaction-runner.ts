import { pgExecutor } from './pg-executor';
import { inPoolTransaction, type PooledPgPool } from './pool-transaction';
import { prismaExecutor, type PrismaTransactionLike } from './prisma-executor';
import type { SqlExecutor } from './sql-executor.interface';
import { typeOrmExecutor, type TypeOrmEntityManagerLike } from './typeorm-executor';

/**
 * Opens transactions for the inbox: the handler's own writes and the inbox record commit
 * together. `native` is what the handler is given (`inboxTransaction(ctx)`): the `PoolClient`,
 * the TypeORM `EntityManager` or the Prisma transaction.
 */
export interface TransactionRunner {
  /** Named in logs and errors. */
  readonly kind: string;
  /** Runs `work` in a new transaction: committed when it resolves, rolled back when it throws. */
  run<T>(work: (executor: SqlExecutor, native: unknown) => Promise<T>): Promise<T>;
}

/** What the inbox needs of a `pg` `Pool`. */
export type PgPoolLike = PooledPgPool;

/** Transactions on a `pg` `Pool`: the handler gets the `PoolClient`, inside `BEGIN`. */
export function pgPoolTransactions(pool: PgPoolLike): TransactionRunner {
  return {
    kind: 'pg Pool',
    run: (work) => inPoolTransaction(pool, (client) => work(pgExecutor(client), client)),
  };
}

/** What the inbox needs of a TypeORM `DataSource`. */
export interface TypeOrmDataSourceLike {
  transaction<T>(run: (manager: TypeOrmEntityManagerLike) => Promise<T>): Promise<T>;
}

/** Transactions of a TypeORM `DataSource`: the handler gets the transaction's `EntityManager`. */
export function typeOrmTransactions(dataSource: TypeOrmDataSourceLike): TransactionRunner {
  return {
    kind: 'TypeORM DataSource',
    run: (work) => dataSource.transaction((manager) => work(typeOrmExecutor(manager), manager)),
  };
}

/** What the inbox needs of a `PrismaClient`: interactive transactions. */
export interface PrismaClientLike {
  $transaction<T>(run: (tx: PrismaTransactionLike) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T>;
}

/**
 * Interactive transactions of a `PrismaClient`: the handler gets the transaction client.
 * Prisma ends an interactive transaction after `timeout` ms (its default is 5000): give the
 * slowest handler's time here.
 */
export function prismaTransactions(prisma: PrismaClientLike, options: { maxWait?: number; timeout?: number } = {}): TransactionRunner {
  return {
    kind: 'Prisma client',
    run: (work) => prisma.$transaction((tx) => work(prismaExecutor(tx), tx), options),
  };
}
