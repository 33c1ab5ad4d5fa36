/**
 * `nestjs-event-bus/postgres`: the transactional outbox and inbox. A subpath of its own, so
 * applications that do not use it never load `pg` (an optional peer dependency).
 */
export { EventBusPostgresModule } from './event-bus-postgres.module';
export { EVENT_BUS_POSTGRES_OPTIONS } from './postgres-module-definition';
export { POSTGRES_OPTION_DEFAULTS } from './postgres-options.validate';
export type { EventBusPostgresOptions, OutboxRelayOptions, OutboxRetentionOptions } from './event-bus-postgres-options.interface';
export { Outbox } from '../outbox/outbox.service';
export type { OutboxAddOptions } from '../outbox/outbox.service';
export { OutboxRelay } from '../outbox/outbox-relay';
export type { OutboxRelayCounters } from '../outbox/outbox-relay';
export { OutboxDeadRows } from '../outbox/outbox-dead-rows';
export type { DeadOutboxRow, OutboxCounts } from '../outbox/outbox-dead-rows';
export { inboxTransaction } from '../inbox/inbox-transaction';
export type { EventInbox, InboxOutcome } from '../inbox/event-inbox.interface';
export { pgPoolTransactions, typeOrmTransactions, prismaTransactions } from '../sql/transaction-runner';
export type { TransactionRunner, PgPoolLike, TypeOrmDataSourceLike, PrismaClientLike } from '../sql/transaction-runner';
export { toSqlExecutor } from '../sql/to-sql-executor';
export type { OutboxTransaction } from '../sql/to-sql-executor';
export type { SqlExecutor, SqlResult } from '../sql/sql-executor.interface';
export type { PgClientLike } from '../sql/pg-executor';
export type { TypeOrmEntityManagerLike, TypeOrmQueryRunnerLike } from '../sql/typeorm-executor';
export type { PrismaTransactionLike } from '../sql/prisma-executor';
export { postgresSchemaSql } from '../sql/postgres-schema.sql';
export { migratePostgresSchema } from '../sql/run-migration';
export { OutboxTransactionError } from '../errors/outbox-transaction.error';
export type { OutboxTransactionProblem } from '../errors/outbox-transaction.error';
export { InvalidPostgresOptionsError } from '../errors/invalid-postgres-options.error';
export { PostgresNotConfiguredError } from '../errors/postgres-not-configured.error';
