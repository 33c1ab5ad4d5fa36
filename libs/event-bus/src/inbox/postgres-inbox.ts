import type { SqlExecutor } from '../sql/sql-executor.interface';
import { quoteSchema } from '../sql/sql-identifier';
import type { TransactionRunner } from '../sql/transaction-runner';
import type { EventInbox, InboxOutcome } from './event-inbox.interface';

/**
 * The inbox on PostgreSQL: `INSERT ... ON CONFLICT DO NOTHING` into `<schema>.inbox` in the
 * handler's transaction. The primary key does the concurrency control: a second delivery's
 * insert blocks on the first's uncommitted row and then finds it committed (skip) or gone
 * (rolled back: run).
 */
export class PostgresInbox implements EventInbox {
  private readonly insertSql: string;

  constructor(
    private readonly runner: TransactionRunner,
    schema: string,
  ) {
    // RETURNING, since not every driver reports the row count of an INSERT (TypeORM does not).
    this.insertSql = `INSERT INTO ${quoteSchema(schema)}.inbox (queue, event_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS inserted`;
  }

  run(queue: string, eventKey: string, handle: (transaction: unknown) => Promise<void>): Promise<InboxOutcome> {
    return this.runner.run(async (executor: SqlExecutor, native: unknown) => {
      const inserted = await executor.query(this.insertSql, [queue, eventKey]);
      if (inserted.rows.length === 0) return 'duplicate';
      await handle(native);
      return 'handled';
    });
  }
}
