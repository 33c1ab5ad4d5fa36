/**
 * The broker could not be used at startup (URL shown redacted): not reachable within
 * `rabbitmq.connectTimeout` (`reason: 'timeout'`), or it refused the login, e.g. a wrong user or
 * password (`reason: 'refused'`), which no waiting cures.
 */
export class BrokerConnectionError extends Error {
  constructor(
    readonly redactedUrl: string,
    readonly timeoutMs: number,
    readonly causeMessage: string,
    readonly reason: 'timeout' | 'refused' = 'timeout',
  ) {
    super(
      reason === 'refused'
        ? `RabbitMQ at ${redactedUrl} refused the login: ${causeMessage}. Check the user and password in rabbitmq.url (or rabbitmq.urls).`
        : `Could not connect to RabbitMQ at ${redactedUrl} within ${timeoutMs} ms: ${causeMessage}. ` +
            'Check rabbitmq.url (or rabbitmq.urls) and that the broker is running, or set rabbitmq.waitForConnection: false to start without it.',
    );
    this.name = 'BrokerConnectionError';
  }
}
