/** The broker refused (nacked) a published event; it was not stored. Publishing again is safe. */
export class PublishNackError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`The broker refused event ${eventId} (${eventType}): ${reason}. It was not stored; publish it again.`);
    this.name = 'PublishNackError';
  }
}
