/**
 * Internal: processing cannot go on now (Redis unreachable and the consumer is stopping).
 * Not a failure of the event: no stage may retry or dead-letter it; the consumer hands the
 * message back to the broker untouched.
 */
export class MessageHeldSignal extends Error {
  constructor(readonly reason: string) {
    super(`Message held: ${reason}`);
    this.name = 'MessageHeldSignal';
  }
}
