import { Module } from '@nestjs/common';
import { EVENT_BUS_INBOX } from '../event-bus.constants';
import { PostgresInbox } from '../inbox/postgres-inbox';
import { Outbox } from '../outbox/outbox.service';
import { OutboxDeadRows } from '../outbox/outbox-dead-rows';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxStore } from '../outbox/outbox-store';
import { pgExecutor } from '../sql/pg-executor';
import { pgPoolTransactions } from '../sql/transaction-runner';
import { ConfigurableEventBusPostgresModule, EVENT_BUS_POSTGRES_OPTIONS, EVENT_BUS_POSTGRES_RESOLVED } from './postgres-module-definition';
import { validatePostgresOptions, type ResolvedPostgresOptions } from './postgres-options.validate';
import { PostgresRuntime } from './postgres-runtime';

/**
 * The transactional outbox and inbox on PostgreSQL (docs/outbox-inbox.md), next to
 * `EventBusModule`:
 *
 * ```ts
 * imports: [
 *   EventBusModule.forRoot({ ... }),
 *   EventBusPostgresModule.forRoot({ pool }),   // from 'nestjs-event-bus/postgres'
 * ]
 * ```
 * Provides `Outbox` (add events in your transaction), `OutboxRelay` (sends them; its
 * counters), `OutboxDeadRows` (list and replay dead rows), and the inbox behind
 * `@OnEvent(type, { inbox: true })`. A separate module, so `pg` stays an optional dependency.
 */
@Module({
  providers: [
    {
      provide: EVENT_BUS_POSTGRES_RESOLVED,
      useFactory: (options: unknown) => validatePostgresOptions(options),
      inject: [EVENT_BUS_POSTGRES_OPTIONS],
    },
    { provide: OutboxStore, useFactory: (o: ResolvedPostgresOptions) => new OutboxStore(o.schema), inject: [EVENT_BUS_POSTGRES_RESOLVED] },
    PostgresRuntime,
    {
      provide: Outbox,
      useFactory: (runtime: PostgresRuntime) =>
        new Outbox({ store: runtime.store, settings: () => runtime.messageSettings(), database: () => runtime.database }),
      inject: [PostgresRuntime],
    },
    { provide: OutboxRelay, useFactory: (runtime: PostgresRuntime) => runtime.outboxRelay(), inject: [PostgresRuntime] },
    {
      provide: OutboxDeadRows,
      useFactory: (o: ResolvedPostgresOptions, store: OutboxStore) => new OutboxDeadRows(pgExecutor(o.pool), o.schema, store.channel),
      inject: [EVENT_BUS_POSTGRES_RESOLVED, OutboxStore],
    },
    {
      provide: EVENT_BUS_INBOX,
      useFactory: (o: ResolvedPostgresOptions) => new PostgresInbox(o.inboxTransactions ?? pgPoolTransactions(o.pool), o.schema),
      inject: [EVENT_BUS_POSTGRES_RESOLVED],
    },
  ],
  exports: [Outbox, OutboxRelay, OutboxDeadRows, EVENT_BUS_INBOX],
})
export class EventBusPostgresModule extends ConfigurableEventBusPostgresModule {}
