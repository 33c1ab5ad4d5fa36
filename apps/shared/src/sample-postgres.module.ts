import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventBusPostgresModule } from 'nestjs-event-bus/postgres';
import { Pool } from 'pg';

/** Injection token of a sample service's `pg` `Pool`. */
export const SAMPLE_PG_POOL = 'SAMPLE_PG_POOL';

/** Where the samples' PostgreSQL is when DATABASE_URL is not set (docker compose, or `.ci/run`'s local cluster). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The schema of a service: its own tables and its outbox/inbox, so services sharing one
 * database never share an outbox. Service names may hold `-` and `.`; schema names may not.
 */
export function serviceSchema(serviceName: string): string {
  return serviceName
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 48);
}

/** Ends the pool after the bus (and its outbox relay) stopped using it. */
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(SAMPLE_PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** The pool, from DATABASE_URL. */
@Global()
@Module({
  providers: [
    {
      provide: SAMPLE_PG_POOL,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const pool = new Pool({ connectionString: config.get('DATABASE_URL') ?? DEFAULT_DATABASE_URL, max: 10 });
        // An idle client losing its connection is reported here; the next query reconnects.
        pool.on('error', () => undefined);
        return pool;
      },
    },
    PoolCloser,
  ],
  exports: [SAMPLE_PG_POOL],
})
class SamplePoolModule {}

/**
 * What a sample service that keeps data in PostgreSQL imports: the pool, and the bus's outbox
 * and inbox in the service's schema. The samples create their tables at startup
 * (`ensureSchema`); a production service runs `npx event-bus-outbox migrate` instead.
 */
export function samplePostgres(serviceName: string): DynamicModule[] {
  return [
    { module: SamplePoolModule },
    EventBusPostgresModule.forRootAsync({
      inject: [SAMPLE_PG_POOL, ConfigService],
      useFactory: (pool: Pool, config: ConfigService) => ({
        pool,
        schema: serviceSchema(config.get('SERVICE_NAME') ?? serviceName),
        ensureSchema: true,
        relay: { pollInterval: 500 },
      }),
    }),
  ];
}
