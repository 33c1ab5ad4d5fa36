import { OutboxTransactionError } from '../errors/outbox-transaction.error';
import type { EventEnvelope, PublishableEvent } from '../interfaces/event-envelope.interface';
import type { SqlExecutor } from '../sql/sql-executor.interface';
import { toSqlExecutor, type OutboxTransaction } from '../sql/to-sql-executor';
import { buildOutboxMessage, type OutboxMessageSettings } from './outbox-message.factory';
import type { OutboxStore } from './outbox-store';

/** Options of `Outbox.add`. */
export interface OutboxAddOptions {
  /** Persistent message (delivery mode 2). Default `true`, as for `publish()`. */
  persistent?: boolean;
}

/** Driver messages that mean the connection or transaction is gone. */
const CLOSED_PATTERNS = [/not queryable/i, /client was closed/i, /transaction already closed/i, /transaction not found/i, /P2028/];

/** Where the outbox lives: its table's SQL, and the settings and database it checks against. */
export interface OutboxDeps {
  store: OutboxStore;
  /** The bus's naming and limits (read when first needed: the bus is built by another module). */
  settings: () => OutboxMessageSettings;
  /** The database of the outbox table, as `current_database()` names it. */
  database: () => string;
}

/**
 * The transactional outbox (docs/outbox-inbox.md). `add(tx, event)` writes the event, encoded
 * exactly as `EventBus.publish()` would send it, into the outbox table inside the caller's
 * open transaction: it is sent by the relay once, and only if, that transaction commits.
 * Inject it where `EventBusPostgresModule` is imported.
 */
export class Outbox {
  /** Database of each connection seen, so the check costs one query per connection, not per event. */
  private readonly databases = new WeakMap<object, string>();

  constructor(private readonly deps: OutboxDeps) {}

  /**
   * Adds an event to the outbox in `transaction`: a `pg` client inside `BEGIN`, a TypeORM
   * `EntityManager` (from `dataSource.transaction`) or `QueryRunner`, or a Prisma interactive
   * transaction. Resolves with the envelope once the row is written (not sent: that happens
   * after the commit). Never waits for the broker.
   * @throws InvalidEventError for an event `publish()` would refuse; nothing is written
   * @throws OutboxTransactionError for a transaction that is closed, of another database, or
   * not of a supported kind, and when the outbox table is missing; nothing is written
   */
  async add<T>(transaction: OutboxTransaction, event: PublishableEvent<T>, options: OutboxAddOptions = {}): Promise<EventEnvelope<T>> {
    const type = String((event as { type?: unknown } | undefined)?.type);
    const tx = toSqlExecutor(transaction);
    if (!tx) {
      throw new OutboxTransactionError(
        'unsupported',
        type,
        'the transaction is none of: pg client inside BEGIN, TypeORM EntityManager or QueryRunner, Prisma interactive transaction',
      );
    }
    const closed = tx.closedReason();
    if (closed) throw new OutboxTransactionError('closed', type, `the ${tx.kind} is not inside an open transaction: ${closed}`);
    const message = await buildOutboxMessage(event, this.deps.settings(), options.persistent !== false);
    const expected = this.deps.database();
    try {
      const actual = await this.databaseOf(tx);
      if (actual !== expected) throw this.otherDatabase(tx, type, actual, expected);
      await this.deps.store.requireTransactionBlock(tx);
      if (message.partitionKey !== null) await this.deps.store.lockKey(tx, message.partitionKey);
      await this.deps.store.insert(tx, message);
    } catch (err) {
      throw err instanceof OutboxTransactionError ? err : this.explain(tx, type, expected, err);
    }
    return message.envelope as EventEnvelope<T>;
  }

  /** Turns a driver error into one that says what to do. */
  private explain(tx: SqlExecutor, type: string, database: string, err: unknown): OutboxTransactionError {
    const message = (err as Error)?.message ?? String(err);
    const code = (err as { code?: unknown })?.code;
    if (code === '25P01') {
      return new OutboxTransactionError(
        'closed',
        type,
        `the ${tx.kind} is not inside an open transaction (never begun, already committed or rolled back, or the client was released); ` +
          'call add() between BEGIN and COMMIT',
        { cause: err },
      );
    }
    if (CLOSED_PATTERNS.some((p) => p.test(message)) || code === 'P2028') {
      return new OutboxTransactionError('closed', type, `the ${tx.kind} is closed: ${message}`, { cause: err });
    }
    if (code === '25P02') {
      return new OutboxTransactionError(
        'closed',
        type,
        'the transaction has already failed (a statement in it raised an error); roll it back',
        {
          cause: err,
        },
      );
    }
    if (code === '42P01' || code === '3F000') {
      return new OutboxTransactionError(
        'no-schema',
        type,
        `the outbox table ${this.deps.store.schema}.outbox does not exist in database "${database}": run the migration ` +
          '(npx event-bus-outbox migrate), or set ensureSchema: true in development; roll this transaction back',
        { cause: err },
      );
    }
    return new OutboxTransactionError('failed', type, message, { cause: err });
  }

  private otherDatabase(tx: SqlExecutor, type: string, actual: string, expected: string): OutboxTransactionError {
    return new OutboxTransactionError(
      'other-database',
      type,
      `the ${tx.kind} is connected to database "${actual}", but the outbox is in "${expected}": use a transaction of the outbox's database`,
    );
  }

  /** The database `tx` is connected to, asked once per connection. */
  private async databaseOf(tx: SqlExecutor): Promise<string> {
    const known = this.databases.get(tx.connection);
    if (known !== undefined) return known;
    const result = await tx.query('SELECT current_database() AS db');
    const name = String(result.rows[0]?.db);
    this.databases.set(tx.connection, name);
    return name;
  }
}
