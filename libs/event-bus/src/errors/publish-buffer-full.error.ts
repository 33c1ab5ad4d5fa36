/**
 * `rabbitmq.maxPendingPublishes` events already wait for the broker (typically during an
 * outage); this one was refused at once instead of growing memory without bound.
 */
export class PublishBufferFullError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly limit: number,
  ) {
    super(
      `Event ${eventId} (${eventType}) was not published: ${limit} publishes are already waiting for the broker. ` +
        'Retry later or raise rabbitmq.maxPendingPublishes.',
    );
    this.name = 'PublishBufferFullError';
  }
}
