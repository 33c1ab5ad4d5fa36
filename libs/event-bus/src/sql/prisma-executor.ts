import type { SqlExecutor, SqlResult } from './sql-executor.interface';

/**
 * What the outbox needs of a Prisma interactive transaction (the `tx` of
 * `prisma.$transaction(async (tx) => ...)`), typed structurally so Prisma stays optional.
 */
export interface PrismaTransactionLike {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Whether `value` looks like a Prisma client or interactive transaction. */
export function isPrismaTransaction(value: object): value is PrismaTransactionLike {
  const v = value as Partial<PrismaTransactionLike>;
  return typeof v.$queryRawUnsafe === 'function' && typeof v.$executeRawUnsafe === 'function';
}

/**
 * A Prisma interactive transaction as a `SqlExecutor`. Statements that return rows go through
 * `$queryRawUnsafe`, the others through `$executeRawUnsafe` (which returns the row count).
 * Prisma itself rejects statements on a transaction that has ended; that error is passed on.
 */
export function prismaExecutor(tx: PrismaTransactionLike): SqlExecutor {
  return {
    kind: 'Prisma transaction',
    connection: tx,
    closedReason: () => undefined,
    query: async (sql, params = []): Promise<SqlResult> => {
      if (/^\s*(select|with)\b|\breturning\b/i.test(sql)) {
        const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
        return { rows, rowCount: rows.length };
      }
      const count = await tx.$executeRawUnsafe(sql, ...params);
      return { rows: [], rowCount: count };
    },
  };
}
