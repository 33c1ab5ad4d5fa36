/** `publish()` was handed an event that cannot be sent (bad type, not serialisable, too large, invalid data). */
export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    /** Every problem found, e.g. validation messages of the DTO. */
    readonly problems: readonly string[],
  ) {
    super(`Event ${JSON.stringify(eventType)} was not published: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}
