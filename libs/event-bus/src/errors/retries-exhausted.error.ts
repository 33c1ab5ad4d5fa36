/** Internal: a handler failed on its last attempt; the cause is what the dead letter reports. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`Failed after ${attempts} attempt(s)`);
    this.name = 'RetriesExhaustedError';
  }
}
