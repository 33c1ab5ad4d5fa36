import type { EventBusLogger } from '../logging/event-bus-logger';
import type { PgClientLike } from '../sql/pg-executor';

/** A pooled `pg` client that can LISTEN. */
export interface PgListenClient extends PgClientLike {
  on(event: 'notification', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  release(err?: Error | boolean): void;
}

/** What the relay needs of a `pg` `Pool`. */
export interface PgListenPool {
  connect(): Promise<PgListenClient>;
}

/** Longest pause between attempts to listen again after the connection was lost. */
const MAX_RELISTEN_DELAY_MS = 10_000;

/**
 * Holds one pooled connection in `LISTEN <schema>_outbox`, so a commit that added rows wakes
 * the relay within milliseconds. When the connection breaks it listens again with backoff;
 * meanwhile the relay's polling still finds the rows, only later.
 */
export class OutboxListener {
  private client?: PgListenClient;
  private stopped = true;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly pool: PgListenPool,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly logger: EventBusLogger,
  ) {}

  /** Starts listening (in the background: a failure is retried, never thrown). */
  start(): void {
    this.stopped = false;
    void this.listen();
  }

  /** Stops listening and hands the connection back to the pool. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners('notification');
    await client.query(`UNLISTEN "${this.channel}"`).catch(() => undefined);
    client.removeAllListeners('error');
    client.release();
  }

  private async listen(): Promise<void> {
    let client: PgListenClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('error', (err) => this.lost(client!, err));
      client.on('notification', this.onNotify);
      await client.query(`LISTEN "${this.channel}"`);
      if (this.stopped) {
        client.removeAllListeners();
        client.release();
        return;
      }
      this.client = client;
      if (this.failures > 0) this.logger.log('Outbox relay listens for commits again');
      this.failures = 0;
      // Rows committed while nobody listened are found right away.
      this.onNotify();
    } catch (err) {
      if (client) this.lost(client, err as Error);
      else this.retry(err as Error);
    }
  }

  private lost(client: PgListenClient, err: Error): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('notification');
    // A broken client must not go back to the pool.
    try {
      client.release(err);
    } catch {
      // released already
    }
    this.retry(err);
  }

  private retry(err: Error): void {
    if (this.stopped) return;
    if (this.failures === 0) this.logger.warn('Outbox relay cannot listen for commits; polling until it can', { error: err.message });
    const delay = Math.min(MAX_RELISTEN_DELAY_MS, 100 * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => void this.listen(), delay);
  }
}
