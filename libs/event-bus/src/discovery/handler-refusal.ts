import { HttpException, HttpStatus } from '@nestjs/common';
import { NonRetryableError } from '../errors/non-retryable.error';

/** 4xx answers that mean "later, maybe": a guard or pipe throwing them gets the event retried. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([HttpStatus.REQUEST_TIMEOUT, HttpStatus.TOO_MANY_REQUESTS]);

/**
 * Whether an error thrown by a guard or a pipe refuses the event for good: an `HttpException`
 * with a 4xx status (Nest's way for guards and pipes to say no: `ForbiddenException`,
 * `BadRequestException` from `ValidationPipe`, ...) other than 408/429, or a
 * `NonRetryableError`. Anything else (a pipe's database lookup failing, a 5xx) is an ordinary
 * failure and is retried.
 */
export function isRefusal(error: unknown): error is HttpException | NonRetryableError {
  if (error instanceof NonRetryableError) return true;
  if (!(error instanceof HttpException)) return false;
  const status = error.getStatus();
  return status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status);
}

/**
 * The reason to put in `x-error`: an `HttpException`'s response messages (the list of
 * validation messages of `ValidationPipe`, joined with `; `), else the error's message.
 */
export function refusalReason(error: HttpException | Error): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string' && response) return response;
    const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : undefined;
    if (Array.isArray(message) && message.length > 0) return message.map(String).join('; ');
    if (typeof message === 'string' && message) return message;
  }
  return error.message || error.name;
}
