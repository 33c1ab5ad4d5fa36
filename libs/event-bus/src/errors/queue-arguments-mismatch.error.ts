/**
 * A queue already exists with other arguments than this service declares. The library never
 * deletes a queue to "fix" this: migrate it (e.g. drain and delete it) deliberately.
 */
export class QueueArgumentsMismatchError extends Error {
  constructor(
    readonly queue: string,
    /** The broker's own description of the differing argument(s). */
    readonly difference: string,
    /** Arguments this service declares for the queue. */
    readonly declaredArguments: Readonly<Record<string, unknown>>,
  ) {
    super(
      `Queue "${queue}" already exists with different arguments: ${difference}. ` +
        `This service declares ${JSON.stringify(declaredArguments)}. ` +
        'Drain and delete the queue, or change the subscription (queue, queueType, ordered) to match.',
    );
    this.name = 'QueueArgumentsMismatchError';
  }
}
