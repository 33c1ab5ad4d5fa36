/**
 * Thrown at bootstrap when the module options are missing a field or hold a wrong value.
 * `fields` names every offending option path (e.g. `rabbitmq.url`); no secret is ever quoted.
 */
export class InvalidEventBusOptionsError extends Error {
  constructor(
    /** One entry per problem: `path: what is wrong` (path and text separated by `': '`). */
    readonly problems: readonly string[],
  ) {
    super(`Invalid EventBusModule options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEventBusOptionsError';
  }

  /** Option paths that failed validation. */
  get fields(): string[] {
    // Paths may contain ':' (event types in `schemas`), so split at the first ': '.
    return this.problems.map((p) => p.slice(0, p.indexOf(': ')));
  }
}
