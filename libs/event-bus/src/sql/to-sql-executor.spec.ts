import { prismaExecutor, type PrismaTransactionLike } from './prisma-executor';
import { toSqlExecutor } from './to-sql-executor';

/** A stand-in for a Prisma interactive transaction: Prisma's engines cannot run in this test suite. */
function fakePrisma(): PrismaTransactionLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => {
      calls.push(`query ${sql} ${JSON.stringify(values)}`);
      return [{ id: '1' }] as T;
    },
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
      calls.push(`execute ${sql} ${JSON.stringify(values)}`);
      return 1;
    },
  };
}

describe('toSqlExecutor', () => {
  it('recognises a pg client by its query method', () => {
    expect(toSqlExecutor({ query: async () => ({ rows: [], rowCount: 0 }) })?.kind).toBe('pg client');
  });

  it('recognises a TypeORM QueryRunner and EntityManager, and asks them whether the transaction is open', () => {
    const runner = { isReleased: false, isTransactionActive: false, query: async () => ({ records: [] }) };
    const viaRunner = toSqlExecutor(runner);
    expect(viaRunner?.kind).toBe('TypeORM QueryRunner');
    expect(viaRunner?.closedReason()).toMatch(/no active transaction/);

    const manager = {
      connection: {},
      queryRunner: { ...runner, isTransactionActive: true },
      transaction: () => undefined,
      getRepository: () => undefined,
    };
    const viaManager = toSqlExecutor(manager);
    expect(viaManager?.kind).toBe('TypeORM EntityManager');
    expect(viaManager?.closedReason()).toBeUndefined();
    expect(toSqlExecutor({ ...manager, queryRunner: undefined })?.closedReason()).toMatch(/not bound to a transaction/);
  });

  it('recognises a Prisma transaction before a pg client', () => {
    expect(toSqlExecutor({ ...fakePrisma(), query: () => undefined })?.kind).toBe('Prisma transaction');
  });

  it('refuses what is none of them', () => {
    expect(toSqlExecutor({})).toBeUndefined();
    expect(toSqlExecutor(null)).toBeUndefined();
    expect(toSqlExecutor('BEGIN')).toBeUndefined();
  });
});

describe('prismaExecutor', () => {
  it('sends statements that return rows through $queryRawUnsafe, the others through $executeRawUnsafe', async () => {
    const tx = fakePrisma();
    const executor = prismaExecutor(tx);
    await expect(executor.query('INSERT INTO t (a) VALUES ($1) RETURNING id', ['x'])).resolves.toEqual({
      rows: [{ id: '1' }],
      rowCount: 1,
    });
    await expect(executor.query('SELECT current_database() AS db')).resolves.toMatchObject({ rowCount: 1 });
    await expect(executor.query('LOCK TABLE t IN ROW EXCLUSIVE MODE')).resolves.toEqual({ rows: [], rowCount: 1 });
    expect(tx.calls).toEqual([
      'query INSERT INTO t (a) VALUES ($1) RETURNING id ["x"]',
      'query SELECT current_database() AS db []',
      'execute LOCK TABLE t IN ROW EXCLUSIVE MODE []',
    ]);
  });
});
