import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_TRANSPORT } from '../event-bus.constants';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { OutboxMessageSettings } from '../outbox/outbox-message.factory';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxStore } from '../outbox/outbox-store';
import { RetentionJanitor } from '../outbox/retention-janitor';
import { pgExecutor } from '../sql/pg-executor';
import { quoteSchema } from '../sql/sql-identifier';
import { migratePostgresSchema } from '../sql/run-migration';
import type { EventTransport } from '../transport/event-transport.interface';
import { EVENT_BUS_POSTGRES_RESOLVED } from './postgres-module-definition';
import type { ResolvedPostgresOptions } from './postgres-options.validate';

/**
 * Connects the PostgreSQL side to the bus: checks the database and tables while the
 * application is built, starts the relay and the clean-up once every module is initialised
 * (the bus's publisher channel is open by then), and stops them first on shutdown.
 * The bus's transport and options belong to `EventBusModule`, which does not export them;
 * they are looked up once, across modules, through `ModuleRef`.
 */
@Injectable()
export class PostgresRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly logger: EventBusLogger;
  private databaseName?: string;
  private bus?: { options: ResolvedEventBusOptions; transport: EventTransport };
  private relay?: OutboxRelay;
  private janitor?: RetentionJanitor;

  constructor(
    @Inject(EVENT_BUS_POSTGRES_RESOLVED) readonly options: ResolvedPostgresOptions,
    readonly store: OutboxStore,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = new EventBusLogger('EventBus:Outbox', []);
  }

  /** The outbox's database (`current_database()` of the pool). */
  get database(): string {
    if (this.databaseName === undefined) throw new Error('EventBusPostgresModule is not initialised yet');
    return this.databaseName;
  }

  /** Fails the start when the database is unreachable, or the tables are missing and not to be created. */
  async onModuleInit(): Promise<void> {
    const db = pgExecutor(this.options.pool);
    const { schema } = this.options;
    const result = await db.query('SELECT current_database() AS db, to_regclass($1) IS NOT NULL AS ready', [
      `${quoteSchema(schema)}.outbox`,
    ]);
    this.databaseName = String(result.rows[0].db);
    if (result.rows[0].ready === true) return;
    if (!this.options.ensureSchema) {
      throw new Error(
        `EventBusPostgresModule: table ${schema}.outbox does not exist in database "${this.databaseName}": ` +
          'run the migration (npx event-bus-outbox migrate), or set ensureSchema: true in development and tests',
      );
    }
    await migratePostgresSchema(this.options.pool, schema);
    this.logger.log(`Created the outbox and inbox tables in schema ${schema} (ensureSchema)`);
  }

  /** The bus's settings the outbox builds messages with. */
  messageSettings(): OutboxMessageSettings {
    const { options } = this.eventBus();
    return {
      serviceName: options.serviceName,
      exchange: options.rabbitmq.exchange,
      schemas: options.schemas,
      maxMessageBytes: options.maxMessageBytes,
      messageProperties: options.rabbitmq.messageProperties,
    };
  }

  /** Creates the relay (once); it runs from bootstrap to shutdown. */
  outboxRelay(): OutboxRelay {
    this.relay ??= new OutboxRelay(
      this.options.pool,
      this.store,
      () => this.eventBus().transport,
      { ...this.options.relay, initialDelay: this.options.relay.retryDelay, maxDelay: this.options.relay.maxRetryDelay },
      this.logger,
    );
    return this.relay;
  }

  /** The clean-up of sent rows and old inbox records. */
  retentionJanitor(): RetentionJanitor {
    this.janitor ??= new RetentionJanitor(pgExecutor(this.options.pool), this.store, this.options.retention, this.logger);
    return this.janitor;
  }

  onApplicationBootstrap(): void {
    this.eventBus(); // a missing EventBusModule fails the start, not the first add()
    if (this.options.relay.enabled) this.outboxRelay().start();
    this.retentionJanitor().start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.janitor?.stop();
  }

  private eventBus(): { options: ResolvedEventBusOptions; transport: EventTransport } {
    if (this.bus) return this.bus;
    try {
      this.bus = {
        options: this.moduleRef.get<ResolvedEventBusOptions>(EVENT_BUS_RESOLVED_OPTIONS, { strict: false }),
        transport: this.moduleRef.get<EventTransport>(EVENT_BUS_TRANSPORT, { strict: false }),
      };
    } catch (err) {
      throw new Error(
        `EventBusPostgresModule needs EventBusModule (or EventBusTestingModule) in the same application: ${(err as Error).message}`,
      );
    }
    return this.bus;
  }
}
