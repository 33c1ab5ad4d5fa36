/** Thrown at bootstrap when `EventBusPostgresModule`'s options are missing a field or hold a wrong value. */
export class InvalidPostgresOptionsError extends Error {
  constructor(
    /** One entry per problem: `path: what is wrong`. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid EventBusPostgresModule options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidPostgresOptionsError';
  }
}
