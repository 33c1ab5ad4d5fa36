import type { SqlExecutor } from '../sql/sql-executor.interface';
import { quoteSchema } from '../sql/sql-identifier';

/** A dead outbox row, as listed for an operator. */
export interface DeadOutboxRow {
  /** Outbox row id (what `replay({ ids })` takes). */
  id: string;
  eventId: string;
  type: string;
  partitionKey: string | null;
  attempts: number;
  /** Why it died: the last send error, or what made it undecodable. */
  lastError: string | null;
  createdAt: Date;
  deadAt: Date | null;
}

/** Rows per state. */
export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
}

/**
 * Operator's view of the outbox: count rows, list the dead ones, replay them (back to
 * pending, attempts reset, relays woken). Behind `OutboxDeadLetters` in an application and the
 * `event-bus-outbox dead` command outside one.
 */
export class OutboxDeadRows {
  private readonly t: string;

  constructor(
    private readonly db: SqlExecutor,
    private readonly schema: string,
    private readonly channel: string,
  ) {
    this.t = `${quoteSchema(schema)}.outbox`;
  }

  /** How many rows are pending, sent (not yet cleaned up) and dead. */
  async counts(): Promise<OutboxCounts> {
    const result = await this.db.query(`SELECT state, count(*)::int AS n FROM ${this.t} GROUP BY state`);
    const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0 };
    for (const row of result.rows) counts[row.state as keyof OutboxCounts] = Number(row.n);
    return counts;
  }

  /** Dead rows, oldest first; page with `afterId` (the last id of the previous page). */
  async list(options: { limit?: number; afterId?: string } = {}): Promise<DeadOutboxRow[]> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`list({ limit }): a positive integer (got ${String(limit)})`);
    const result = await this.db.query(
      `SELECT id::text AS id, event_id, event_type, partition_key, attempts, last_error, created_at, dead_at FROM ${this.t}
       WHERE state = 'dead' AND id > $1::bigint ORDER BY id LIMIT $2`,
      [options.afterId ?? '0', limit],
    );
    return result.rows.map((r) => ({
      id: String(r.id),
      eventId: String(r.event_id),
      type: String(r.event_type),
      partitionKey: r.partition_key === null ? null : String(r.partition_key),
      attempts: Number(r.attempts),
      lastError: r.last_error === null ? null : String(r.last_error),
      createdAt: new Date(r.created_at as string),
      deadAt: r.dead_at === null ? null : new Date(r.dead_at as string),
    }));
  }

  /**
   * Puts dead rows back to pending with a fresh attempt count, and wakes the relays. Without
   * `ids`, every dead row. A replayed row keeps its id, so it takes its old place in its key's order.
   * @returns how many rows were replayed
   */
  async replay(options: { ids?: readonly string[] } = {}): Promise<number> {
    const ids = options.ids;
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => !/^\d+$/.test(String(id))))) {
      throw new Error('replay({ ids }): outbox row ids, as listed by list()');
    }
    const result = await this.db.query(
      `WITH replayed AS (
         UPDATE ${this.t} SET state = 'pending', attempts = 0, next_attempt_at = clock_timestamp(), dead_at = NULL
         WHERE state = 'dead' AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) RETURNING 1)
       SELECT count(*)::int AS n, pg_notify($2::text, '') IS NULL AS notified FROM replayed`,
      [ids === undefined ? null : [...ids], this.channel],
    );
    return Number(result.rows[0]?.n ?? 0);
  }
}
