import { connect, type AmqpConnectionManager } from 'amqp-connection-manager';
import type { ChannelModel } from 'amqplib';
import { BrokerConnectionError } from '../errors/broker-connection.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import { redactUrl } from '../options/redact-url';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { coalesceSocketWrites, type CorkableSocket } from './socket-write-coalescer';

/**
 * The bus's RabbitMQ connection. amqp-connection-manager owns connecting, heartbeats and
 * reconnecting with backoff; the bus opens its own raw channels on the current connection so
 * it controls confirms, acks and their fate across reconnects (see `ManagedChannel`).
 */
export class BrokerConnection {
  private constructor(private readonly manager: AmqpConnectionManager) {}

  /**
   * Starts connecting to `rabbitmq.urls`: tried in order, round robin after each failure or
   * lost connection, so a dead node is skipped and a lost one replaced by the next. With
   * `rabbitmq.waitForConnection` it resolves only once connected, so a wrong URL or a broker
   * that is down fails the application start instead of surfacing later.
   *
   * @throws BrokerConnectionError when no connection was made within `rabbitmq.connectTimeout`
   */
  static async open(options: ResolvedEventBusOptions): Promise<BrokerConnection> {
    const r = options.rabbitmq;
    const logger = new EventBusLogger('EventBus:RabbitMQ', options.secrets);
    const nodes = r.urls.map(redactUrl).join(', ');
    const manager = connect(r.urls, {
      heartbeatIntervalInSeconds: r.heartbeat,
      // The manager waits this long after every failed attempt before trying the next URL in
      // the list: split over the nodes, a dead node delays the next one by a fraction of the
      // interval, and each node is still tried once per heartbeat interval.
      reconnectTimeInSeconds: r.heartbeat / r.urls.length,
      // Nagle's algorithm holds small frames (acks, confirms) back for up to ~40 ms when the
      // peer delays its TCP acks: off, as every latency-sensitive AMQP client does.
      connectionOptions: {
        noDelay: true,
        clientProperties: { connection_name: options.serviceName },
        // A node that swallows the TCP handshake (host down, partition) would hold the attempt
        // for the system's connect timeout (minutes), and the other nodes would wait behind it.
        ...(r.urls.length > 1 ? { timeout: 2 * r.heartbeat * 1000 } : {}),
        ...r.tls,
      },
    });
    let lastFailure = 'no answer';
    let failures = 0;
    let node = redactUrl(r.urls[0]);
    manager.on('connectFailed', ({ err, url }) => {
      lastFailure = logger.redact(err?.message ?? String(err));
      // One line per outage is enough: reconnect attempts repeat every heartbeat interval.
      if (failures++ === 0) logger.warn(`Cannot reach RabbitMQ at ${nodeOf(url, r.urls[0])}: ${lastFailure}; retrying`);
    });
    manager.on('disconnect', ({ err }) => {
      if (err) logger.warn(`Disconnected from RabbitMQ at ${node}: ${logger.redact(err.message)}; reconnecting`);
    });
    manager.on('connect', ({ url }) => {
      node = nodeOf(url, r.urls[0]);
      // With several nodes, say which one was reached; with one, only after an outage.
      if (failures > 0 || r.urls.length > 1) logger.log(`Connected to RabbitMQ at ${node}`);
      failures = 0;
      if (manager.connection) coalesceAmqpWrites(manager.connection);
    });
    const broker = new BrokerConnection(manager);
    if (!r.waitForConnection) return broker;
    try {
      await manager.connect({ timeout: r.connectTimeout });
    } catch (err) {
      await manager.close().catch(() => undefined);
      // amqp-connection-manager gives up at once on a refused login (no retry cures it).
      const refused = /ACCESS[-_]REFUSED|\b403\b/.test((err as Error)?.message ?? '');
      throw new BrokerConnectionError(
        nodes,
        r.connectTimeout,
        refused ? logger.redact((err as Error).message) : lastFailure,
        refused ? 'refused' : 'timeout',
      );
    }
    return broker;
  }

  /** The live amqplib connection, if connected. */
  get current(): ChannelModel | undefined {
    return this.manager.connection;
  }

  /** Whether connected now. */
  isConnected(): boolean {
    return this.manager.isConnected();
  }

  /** Calls `listener` with each new connection (after every reconnect); returns the way to stop. */
  onConnect(listener: (connection: ChannelModel) => void): () => void {
    // The event's payload is typed as amqplib's inner connection; the manager's getter is the model.
    const handler = (): void => {
      const connection = this.manager.connection;
      if (connection) listener(connection);
    };
    this.manager.on('connect', handler);
    return () => this.manager.removeListener('connect', handler);
  }

  /** Closes the connection for good (no reconnect). */
  async close(): Promise<void> {
    await this.manager.close();
  }
}

/** The URL an event of the manager names, password masked (`fallback` when it names none). */
function nodeOf(url: unknown, fallback: string): string {
  return redactUrl(typeof url === 'string' ? url : fallback);
}

/** Applies the write coalescer to the socket under an amqplib connection, when there is one. */
function coalesceAmqpWrites(connection: ChannelModel): void {
  // amqplib keeps its socket on the inner connection as `stream`; not part of its typings.
  const socket = (connection as unknown as { connection?: { stream?: Partial<CorkableSocket> } }).connection?.stream;
  if (socket && typeof socket.cork === 'function' && typeof socket.write === 'function') {
    coalesceSocketWrites(socket as CorkableSocket);
  }
}
