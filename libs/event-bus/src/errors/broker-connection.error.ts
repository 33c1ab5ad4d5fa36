/** The broker could not be reached at startup within `rabbitmq.connectTimeout` (URL shown redacted). */
export class BrokerConnectionError extends Error {
  constructor(
    readonly redactedUrl: string,
    readonly timeoutMs: number,
    readonly causeMessage: string,
  ) {
    super(
      `Could not connect to RabbitMQ at ${redactedUrl} within ${timeoutMs} ms: ${causeMessage}. ` +
        'Check rabbitmq.url and that the broker is running, or set rabbitmq.waitForConnection: false to start without it.',
    );
    this.name = 'BrokerConnectionError';
  }
}
