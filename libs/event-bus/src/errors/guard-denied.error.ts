import { NonRetryableError } from './non-retryable.error';

/**
 * A guard refused an event (returned false, or threw an `HttpException` with a 4xx status):
 * the same event would be refused again, so it is dead-lettered at once with this message in
 * `x-error`, and the handler never runs.
 */
export class GuardDeniedError extends NonRetryableError {
  constructor(
    /** `Class.method` of the guarded handler. */
    readonly handler: string,
    /** Why: the guard's exception message, or Nest's `Forbidden resource` when it returned false. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Guard denied the event to ${handler}: ${reason}`, options);
    this.name = 'GuardDeniedError';
  }
}
