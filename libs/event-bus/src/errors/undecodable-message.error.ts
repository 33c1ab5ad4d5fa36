import { NonRetryableError } from './non-retryable.error';

/** An incoming message is not an event this library can read (not JSON, no type, too large, ...). */
export class UndecodableMessageError extends NonRetryableError {
  constructor(
    readonly reason: string,
    readonly queue: string,
  ) {
    super(`Undecodable message on ${queue}: ${reason}`);
    this.name = 'UndecodableMessageError';
  }
}
