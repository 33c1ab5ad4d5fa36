import type { Channel, ChannelModel as Connection, ConfirmChannel } from 'amqplib';
import type { BrokerConnection } from './broker-connection';
import type { EventBusLogger } from '../logging/event-bus-logger';

/** Runs on every new channel (first open and after each reconnect) before it is handed out. */
export type ChannelSetup<C extends Channel> = (channel: C) => Promise<void>;

/** Longest pause between attempts to reopen a channel the broker closed. */
const MAX_REOPEN_DELAY_MS = 30_000;

/**
 * Keeps one raw amqplib channel open over a managed connection: opened on every (re)connect,
 * reopened when the broker closes it alone, `setup` run each time.
 *
 * Why not amqp-connection-manager's ChannelWrapper: it leaves a channel closed by a channel
 * error dead until the whole connection reconnects, and acks through whatever channel is
 * current, so a late ack of a message from a previous channel carries a stale delivery tag
 * and gets the new channel closed by the broker. Consumers here ack on the channel that
 * delivered, which only a raw channel handle allows.
 */
export class ManagedChannel<C extends Channel = Channel> {
  private channel?: C;
  private closed = false;
  private opening?: Promise<void>;
  private failures = 0;
  private reopenTimer?: NodeJS.Timeout;
  private readonly readyWaiters: Array<(channel: C) => void> = [];
  private stopListening?: () => void;

  constructor(
    private readonly broker: BrokerConnection,
    private readonly options: {
      name: string;
      confirm: boolean;
      setup: ChannelSetup<C>;
      logger: EventBusLogger;
      /** Called each time a channel is ready (after setup). */
      onOpen?: (channel: C) => void;
    },
  ) {}

  /**
   * Opens the channel and runs setup once. Resolves when ready; rejects when the first setup
   * fails (a wrong declaration should fail startup, not loop). If not connected yet, resolves
   * at once and opens on connect.
   */
  async start(): Promise<void> {
    this.stopListening ??= this.broker.onConnect(() => void this.open());
    const connection = this.broker.current;
    if (connection) await this.openOn(connection, true);
  }

  /** The open channel, if any. */
  get current(): C | undefined {
    return this.channel;
  }

  /** Resolves with the channel once it is open (immediately if it is). */
  ready(): Promise<C> {
    if (this.channel) return Promise.resolve(this.channel);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Closes the channel for good; it is not reopened. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening?.();
    clearTimeout(this.reopenTimer);
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const connection = this.broker.current;
    if (this.closed || this.channel || !connection) return;
    await this.openOn(connection, false).catch(() => undefined);
  }

  private openOn(connection: Connection, rethrow: boolean): Promise<void> {
    this.opening ??= this.create(connection, rethrow).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async create(connection: Connection, rethrow: boolean): Promise<void> {
    let channel: C | undefined;
    try {
      channel = (await (this.options.confirm ? connection.createConfirmChannel() : connection.createChannel())) as unknown as C;
      // Without an 'error' listener a channel error would crash the process.
      channel.on('error', (err: Error) => this.options.logger.warn(`Channel ${this.options.name} error: ${err.message}`));
      channel.on('close', () => this.onClosed(channel as C, connection));
      await this.options.setup(channel);
    } catch (err) {
      if (channel) await channel.close().catch(() => undefined);
      if (rethrow) throw err;
      this.options.logger.error(`Channel ${this.options.name} could not be set up: ${(err as Error).message}`);
      this.scheduleReopen();
      return;
    }
    if (this.closed) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.failures = 0;
    this.channel = channel;
    for (const resolve of this.readyWaiters.splice(0)) resolve(channel);
    this.options.onOpen?.(channel);
  }

  private onClosed(channel: C, connection: Connection): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    // A channel closed while its connection lives was closed by a channel error: reopen it.
    // After a connection loss the manager's 'connect' event reopens it instead.
    if (!this.closed && this.broker.current === connection) this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closed) return;
    const delay = Math.min(MAX_REOPEN_DELAY_MS, 100 * 2 ** this.failures++);
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => void this.open(), delay);
    this.reopenTimer.unref();
  }
}

/** A managed confirm channel, as the publisher uses. */
export type ManagedConfirmChannel = ManagedChannel<ConfirmChannel>;
