/** Thrown by `EventBusConsoleModule.forRoot()` for options it cannot mount the console with; `problems` says what to change. */
export class InvalidConsoleOptionsError extends Error {
  constructor(
    /** One entry per problem: `field: what is wrong and what to do`. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid EventBusConsoleModule options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConsoleOptionsError';
  }
}
