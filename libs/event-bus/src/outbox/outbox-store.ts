import type { SqlExecutor } from '../sql/sql-executor.interface';
import { outboxChannel, quoteSchema } from '../sql/sql-identifier';
import type { OutboxMessage } from './outbox-message.factory';

/**
 * The outbox table's SQL, in one place. Every statement is parameterised; only the schema name
 * (checked against a strict pattern) is spliced into the text.
 */
export class OutboxStore {
  readonly channel: string;
  private readonly t: string;
  private readonly inboxTable: string;

  constructor(readonly schema: string) {
    this.t = `${quoteSchema(schema)}.outbox`;
    this.inboxTable = `${quoteSchema(schema)}.inbox`;
    this.channel = outboxChannel(schema);
  }

  /**
   * Serialises the transactions adding events of one partition key, so ids of a key are taken
   * in commit order: a later transaction's insert waits here until the earlier one ends.
   */
  async lockKey(tx: SqlExecutor, key: string): Promise<void> {
    await tx.query('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`${this.schema}:${key}`]);
  }

  /**
   * Fails with SQLSTATE 25P01 unless `tx` is inside a transaction block: without this, an
   * insert on a client in autocommit would be committed (and sent) on its own. ROW EXCLUSIVE
   * is the lock the insert takes anyway, so inside a transaction this costs nothing but the round trip.
   */
  async requireTransactionBlock(tx: SqlExecutor): Promise<void> {
    await tx.query(`LOCK TABLE ${this.t} IN ROW EXCLUSIVE MODE`);
  }

  /** Inserts the message in the caller's transaction and notifies the relays (PostgreSQL delivers it at commit). */
  async insert(tx: SqlExecutor, message: OutboxMessage): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.t} (event_id, event_type, exchange, routing_key, partition_key, body, properties)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::bytea, $7::jsonb)
       RETURNING id::text AS id, pg_notify($8::text, '') IS NULL AS notified`,
      [
        message.envelope.id,
        message.envelope.type,
        message.exchange,
        message.routingKey,
        message.partitionKey,
        message.body,
        message.propertiesJson,
        this.channel,
      ],
    );
  }

  /**
   * Claims up to `limit` due rows for this relay (`FOR UPDATE SKIP LOCKED`: other relays skip
   * them). Per-key order: a row is `blocked` while an earlier row of its key is pending and not
   * claimed here (another relay holds it); the claim itself leaves out rows behind a head that
   * waits for a retry, so such keys cannot fill a batch. Rows come in id order.
   */
  async claim(tx: SqlExecutor, limit: number): Promise<Record<string, unknown>[]> {
    const result = await tx.query(
      `WITH claimed AS (
         SELECT o.id, o.partition_key FROM ${this.t} o
         WHERE o.state = 'pending' AND o.next_attempt_at <= clock_timestamp()
           AND (o.partition_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM ${this.t} e WHERE e.state = 'pending' AND e.partition_key = o.partition_key
               AND e.id < o.id AND e.next_attempt_at > clock_timestamp()))
         ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       SELECT o.id::text AS id, o.event_id, o.exchange, o.routing_key, o.partition_key, o.body, o.properties, o.attempts,
              (c.partition_key IS NOT NULL AND EXISTS (
                SELECT 1 FROM ${this.t} e WHERE e.state = 'pending' AND e.partition_key = c.partition_key AND e.id < c.id
                  AND e.id NOT IN (SELECT id FROM claimed))) AS blocked
       FROM ${this.t} o JOIN claimed c ON c.id = o.id
       ORDER BY o.id`,
      [limit],
    );
    return result.rows;
  }

  /** Marks rows sent (kept for the retention period, then deleted). */
  async markSent(tx: SqlExecutor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE ${this.t} SET state = 'sent', sent_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL
       WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /**
   * Records a failed attempt: the row waits `delayMs` for the next, or is dead once it has had
   * `maxAttempts`.
   * @returns whether the row is now dead
   */
  async markFailed(tx: SqlExecutor, id: string, error: string, delayMs: number, maxAttempts: number): Promise<boolean> {
    const result = await tx.query(
      `UPDATE ${this.t} SET attempts = attempts + 1, last_error = $2::text,
         next_attempt_at = clock_timestamp() + $3::int * interval '1 millisecond',
         state = CASE WHEN attempts + 1 >= $4::int THEN 'dead' ELSE 'pending' END,
         dead_at = CASE WHEN attempts + 1 >= $4::int THEN clock_timestamp() END
       WHERE id = $1::bigint RETURNING state`,
      [id, error, Math.round(delayMs), maxAttempts],
    );
    return result.rows[0]?.state === 'dead';
  }

  /** A row that can never be sent: dead at once, with the reason. */
  async markDead(tx: SqlExecutor, id: string, reason: string): Promise<void> {
    await tx.query(`UPDATE ${this.t} SET state = 'dead', dead_at = clock_timestamp(), last_error = $2::text WHERE id = $1::bigint`, [
      id,
      reason,
    ]);
  }

  /** Deletes up to `limit` sent rows older than `olderThanMs`; returns how many. */
  async deleteSent(db: SqlExecutor, olderThanMs: number, limit: number): Promise<number> {
    const result = await db.query(
      `DELETE FROM ${this.t} WHERE id IN (
         SELECT id FROM ${this.t} WHERE state = 'sent' AND sent_at < clock_timestamp() - $1::bigint * interval '1 millisecond' LIMIT $2)
       RETURNING 1 AS deleted`,
      [olderThanMs, limit],
    );
    return result.rows.length;
  }

  /** Deletes up to `limit` inbox records older than `olderThanMs`; returns how many. */
  async deleteInbox(db: SqlExecutor, olderThanMs: number, limit: number): Promise<number> {
    const result = await db.query(
      `DELETE FROM ${this.inboxTable} WHERE ctid IN (
         SELECT ctid FROM ${this.inboxTable} WHERE processed_at < clock_timestamp() - $1::bigint * interval '1 millisecond' LIMIT $2)
       RETURNING 1 AS deleted`,
      [olderThanMs, limit],
    );
    return result.rows.length;
  }
}
