/**
 * An `@OnEvent` handler cannot be bound as declared (a parameter without a decorator next to
 * decorated ones, `@UsePipes` with nothing to transform, ...). Thrown at bootstrap, naming
 * every such handler and what to change.
 */
export class UnsupportedHandlerError extends Error {
  constructor(
    /** One line per problem, each naming `Class.method`. */
    readonly problems: readonly string[],
  ) {
    super(`Cannot bind @OnEvent handlers:\n  - ${problems.join('\n  - ')}`);
    this.name = 'UnsupportedHandlerError';
  }
}
