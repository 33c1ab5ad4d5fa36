/**
 * A subscription asks for `inbox: true`, but no `EventBusPostgresModule` (from
 * `nestjs-event-bus/postgres`) provides the database the inbox writes to.
 */
export class PostgresNotConfiguredError extends Error {
  constructor(readonly feature: string) {
    super(
      `${feature} needs PostgreSQL, but EventBusPostgresModule is not imported: add EventBusPostgresModule.forRoot({ pool }) ` +
        `from 'nestjs-event-bus/postgres', or leave ${feature} off`,
    );
    this.name = 'PostgresNotConfiguredError';
  }
}
