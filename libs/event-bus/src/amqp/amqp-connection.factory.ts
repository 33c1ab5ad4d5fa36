import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { LoggerService } from '@nestjs/common';
import { BrokerConnectionError } from '../errors/broker-connection.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import { redactUrl } from '../options/redact-url';
import { coalesceSocketWrites, type CorkableSocket } from './socket-write-coalescer';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/**
 * golevelup announces that it skips its own connection check, which we do ourselves below
 * (with the cause of a failure): that line would only mislead.
 */
function quietConnectionLogger(logger: EventBusLogger): LoggerService {
  return {
    log: (message: string) => (message.startsWith('Skipping connection health checks') ? undefined : logger.log(message)),
    warn: (message: string) => logger.warn(message),
    error: (message: string, trace?: string) => logger.error(message, trace),
    debug: (message: string) => logger.debug(message),
    verbose: (message: string) => logger.verbose(message),
  };
}

/**
 * Opens the RabbitMQ connection. golevelup's `AmqpConnection` (over amqp-connection-manager)
 * owns connecting, heartbeats and reconnecting with backoff; the bus opens its own channels
 * on it so it controls confirms, acks and their fate across reconnects.
 *
 * With `waitForConnection` the factory resolves only once connected, so a wrong URL or a
 * broker that is down fails the application start instead of surfacing later.
 */
export async function createAmqpConnection(options: ResolvedEventBusOptions): Promise<AmqpConnection> {
  const r = options.rabbitmq;
  const logger = new EventBusLogger('EventBus:RabbitMQ', options.secrets);
  const connection = new AmqpConnection({
    name: options.serviceName,
    uri: r.url,
    logger: quietConnectionLogger(logger),
    registerHandlers: false,
    enableDirectReplyTo: false,
    prefetchCount: 1,
    connectionInitOptions: { wait: false, skipConnectionFailedLogging: true },
    connectionManagerOptions: {
      heartbeatIntervalInSeconds: r.heartbeat,
      reconnectTimeInSeconds: r.heartbeat,
      // Nagle's algorithm holds small frames (acks, confirms) back for up to ~40 ms when the
      // peer delays its TCP acks: off, as every latency-sensitive AMQP client does.
      connectionOptions: { noDelay: true, ...r.tls },
    },
  });

  let lastFailure = 'no answer';
  let failures = 0;
  await connection.init();
  const manager = connection.managedConnection;
  manager.on('connectFailed', ({ err }) => {
    lastFailure = logger.redact(err?.message ?? String(err));
    // One line per outage is enough: reconnect attempts repeat every heartbeat interval.
    if (failures++ === 0) logger.warn(`Cannot reach RabbitMQ at ${redactUrl(r.url)}: ${lastFailure}; retrying`);
  });
  manager.on('connect', ({ connection: opened }) => {
    failures = 0;
    coalesceAmqpWrites(opened);
  });
  coalesceAmqpWrites(manager.connection);
  if (!r.waitForConnection) return connection;

  try {
    await manager.connect({ timeout: r.connectTimeout });
  } catch {
    await connection.close().catch(() => undefined);
    throw new BrokerConnectionError(redactUrl(r.url), r.connectTimeout, lastFailure);
  }
  return connection;
}

/** Applies the write coalescer to the socket under an amqplib connection, when there is one. */
function coalesceAmqpWrites(connection: unknown): void {
  const socket = (connection as { connection?: { stream?: Partial<CorkableSocket> } } | undefined)?.connection?.stream;
  if (socket && typeof socket.cork === 'function' && typeof socket.write === 'function') {
    coalesceSocketWrites(socket as CorkableSocket);
  }
}
