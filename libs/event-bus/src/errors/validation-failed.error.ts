import { NonRetryableError } from './non-retryable.error';

/** An incoming event's data failed its DTO's validation; it is dead-lettered without retries. */
export class ValidationFailedError extends NonRetryableError {
  constructor(
    readonly eventType: string,
    /** class-validator messages, e.g. `email must be an email`. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${eventType} data: ${problems.join('; ')}`);
    this.name = 'ValidationFailedError';
  }
}
