import type { EventBusLogger } from '../logging/event-bus-logger';
import type { SqlExecutor } from '../sql/sql-executor.interface';
import type { OutboxStore } from './outbox-store';

/** How long rows are kept. */
export interface RetentionSettings {
  /** Milliseconds a sent outbox row is kept (for inspection) before it is deleted. */
  sent: number;
  /** Milliseconds an inbox record is kept; a redelivery later than that would run the handler again. */
  inbox: number;
  /** Milliseconds between clean-ups. */
  interval: number;
}

/** Rows deleted per statement, so a large backlog never holds long locks. */
const DELETE_CHUNK = 1_000;

/** Deletes sent outbox rows and old inbox records past their retention, on a timer. */
export class RetentionJanitor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: SqlExecutor,
    private readonly store: OutboxStore,
    private readonly settings: RetentionSettings,
    private readonly logger: EventBusLogger,
  ) {}

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.settings.interval).unref();
  }

  /** Stops the timer and waits for a clean-up in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes everything past its retention now. @returns rows deleted from the outbox and the inbox */
  async sweep(): Promise<{ outbox: number; inbox: number }> {
    const run = this.deleteAll();
    this.running = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async deleteAll(): Promise<{ outbox: number; inbox: number }> {
    const deleted = { outbox: 0, inbox: 0 };
    try {
      for (let n = DELETE_CHUNK; n === DELETE_CHUNK; deleted.outbox += n)
        n = await this.store.deleteSent(this.db, this.settings.sent, DELETE_CHUNK);
      for (let n = DELETE_CHUNK; n === DELETE_CHUNK; deleted.inbox += n)
        n = await this.store.deleteInbox(this.db, this.settings.inbox, DELETE_CHUNK);
    } catch (err) {
      this.logger.warn('Outbox/inbox clean-up failed; retrying at the next interval', { error: (err as Error).message });
    }
    return deleted;
  }
}
