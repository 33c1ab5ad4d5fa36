/**
 * No broker confirm arrived within `rabbitmq.publishTimeout`. The event may or may not have
 * been stored; publishing it again with the same id is safe because consumers deduplicate by id.
 */
export class PublishTimeoutError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly timeoutMs: number,
  ) {
    super(
      `No broker confirm for event ${eventId} (${eventType}) within ${timeoutMs} ms; ` +
        'it may not have been stored. Publish it again with the same id (consumers deduplicate by id).',
    );
    this.name = 'PublishTimeoutError';
  }
}
