/** Throw from a handler when retrying cannot help: the event goes straight to the dead-letter queue. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
