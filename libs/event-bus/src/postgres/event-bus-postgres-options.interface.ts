import type { Pool } from 'pg';
import type { TransactionRunner } from '../sql/transaction-runner';

/** The outbox relay's tuning. */
export interface OutboxRelayOptions {
  /** Run the relay in this instance. Default `true`; `false` for instances that only write. */
  enabled?: boolean;
  /** Rows claimed per transaction. Default 100. */
  batchSize?: number;
  /** Milliseconds between looks at the table when no notification arrives (the fallback to LISTEN/NOTIFY). Default 1000. */
  pollInterval?: number;
  /** Failed sends after which a row is dead. Default 10. */
  maxAttempts?: number;
  /** Milliseconds before the second attempt of a failed row; doubled each time. Default 1000. */
  retryDelay?: number;
  /** Longest wait between attempts. Default 300000 (5 minutes). */
  maxRetryDelay?: number;
}

/** How long rows are kept. */
export interface OutboxRetentionOptions {
  /** Milliseconds sent outbox rows are kept before they are deleted. Default 86400000 (1 day). */
  sent?: number;
  /** Milliseconds inbox records are kept: the window in which a redelivery is recognised. Default 604800000 (7 days). */
  inbox?: number;
  /** Milliseconds between clean-ups. Default 60000. */
  interval?: number;
}

/** Options of `EventBusPostgresModule.forRoot()` / `forRootAsync()`. */
export interface EventBusPostgresOptions {
  /**
   * `pg` `Pool` of the service's database. The relay holds one of its connections for
   * LISTEN and borrows one per round; the inbox opens its transactions on it unless
   * `inboxTransactions` says otherwise. The application owns it (and ends it).
   */
  pool: Pool;
  /** Schema of the `outbox` and `inbox` tables. Lower-case letters, digits, `_`. Default `'event_bus'`. */
  schema?: string;
  /**
   * Create the tables at startup if missing. Default `false`: in production, run
   * `npx event-bus-outbox migrate` (or apply its SQL with your migration tool) instead.
   */
  ensureSchema?: boolean;
  /**
   * Where `inbox: true` handlers get their transaction: `pgPoolTransactions(pool)` (default),
   * `typeOrmTransactions(dataSource)` or `prismaTransactions(prisma)`. Must reach the same database.
   */
  inboxTransactions?: TransactionRunner;
  /** The relay's tuning. */
  relay?: OutboxRelayOptions;
  /** Clean-up of sent rows and old inbox records. */
  retention?: OutboxRetentionOptions;
}
