import { NonRetryableError } from './non-retryable.error';

/**
 * A pipe refused a handler parameter (threw an `HttpException` with a 4xx status, as
 * `ValidationPipe` and `ParseIntPipe` do): the event is dead-lettered at once with this
 * message in `x-error` (the validation messages included), and the handler never runs.
 */
export class PipeRejectedError extends NonRetryableError {
  constructor(
    /** The refused parameter as written, e.g. `@EventPayload('age')`. */
    readonly parameter: string,
    /** The pipe's messages, joined with `; `. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Pipe rejected ${parameter}: ${reason}`, options);
    this.name = 'PipeRejectedError';
  }
}
