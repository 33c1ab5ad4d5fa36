/**
 * Thrown at bootstrap when the module options are missing a field or hold a wrong value, and by
 * `eventBusOptionsFromEnv()` when environment variables hold wrong values. `fields` names every
 * offending option path (e.g. `rabbitmq.url`) or environment variable (e.g. `RETRY_COUNT`);
 * no secret is ever quoted.
 */
export class InvalidEventBusOptionsError extends Error {
  constructor(
    /** One entry per problem: `path: what is wrong` (path and text separated by `': '`). */
    readonly problems: readonly string[],
    /** What the paths name: option paths (`'options'`) or environment variables (`'environment'`). */
    readonly source: 'options' | 'environment' = 'options',
  ) {
    super(
      source === 'environment'
        ? `Invalid event bus environment variables:\n  - ${problems.map((p) => `Environment variable ${p.replace(': ', ' ')}`).join('\n  - ')}`
        : `Invalid EventBusModule options:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'InvalidEventBusOptionsError';
  }

  /** Option paths (or environment variables) that failed validation. */
  get fields(): string[] {
    // Paths may contain ':' (event types in `schemas`), so split at the first ': '.
    return this.problems.map((p) => p.slice(0, p.indexOf(': ')));
  }
}
