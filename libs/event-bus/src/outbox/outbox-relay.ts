import type { EventBusLogger } from '../logging/event-bus-logger';
import { pgExecutor } from '../sql/pg-executor';
import { inPoolTransaction } from '../sql/pool-transaction';
import type { SqlExecutor } from '../sql/sql-executor.interface';
import type { EventTransport } from '../transport/event-transport.interface';
import { outboxRetryDelay, type OutboxBackoff } from './outbox-backoff';
import { OutboxListener, type PgListenPool } from './outbox-listener';
import { decodeOutboxRow, type OutboxRow } from './outbox-row.decoder';
import type { OutboxStore } from './outbox-store';
import { OutboxWakeSignal } from './outbox-wake-signal';

/** Tuning of the relay (defaults in `EventBusPostgresModule`'s options). */
export interface OutboxRelaySettings extends OutboxBackoff {
  /** Rows claimed per transaction. */
  batchSize: number;
  /** Milliseconds between looks at the table when no notification arrives. */
  pollInterval: number;
  /** Failed sends after which a row is dead. */
  maxAttempts: number;
}

/** What the relay has done since it started (for metrics and tests). */
export interface OutboxRelayCounters {
  /** Rows sent and confirmed. */
  sent: number;
  /** Failed send attempts (each row counts once per attempt). */
  failed: number;
  /** Rows moved to the dead state (attempts used up, or undecodable). */
  dead: number;
  /** Claim transactions that found rows. */
  batches: number;
}

/** A failure of one row's send. */
interface SendFailure {
  row: OutboxRow;
  error: Error;
}

/**
 * Sends committed outbox rows, in every instance. Each round is one transaction: claim due rows
 * (`FOR UPDATE SKIP LOCKED`, so instances share the table), send each with a broker confirm,
 * mark them sent or failed, commit. A crash before the commit leaves the rows pending and they
 * are sent again (at least once; consumers dedup by event id). Rows of one partition key go out
 * one after the other, each after the previous one's confirm, so a failure cannot let a later
 * row pass it; rows without a key go out concurrently. While the broker is unreachable, nothing
 * is claimed and no attempt is used up.
 */
export class OutboxRelay {
  private readonly wake = new OutboxWakeSignal();
  private readonly listener: OutboxListener;
  private readonly totals: OutboxRelayCounters = { sent: 0, failed: 0, dead: 0, batches: 0 };
  private loop?: Promise<void>;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly pool: PgListenPool,
    private readonly store: OutboxStore,
    private readonly transport: () => EventTransport,
    private readonly settings: OutboxRelaySettings,
    private readonly logger: EventBusLogger,
  ) {
    this.listener = new OutboxListener(pool, store.channel, () => this.wake.wake(), logger);
  }

  /** Starts listening and the send loop. */
  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.listener.start();
    this.loop = this.run();
  }

  /** Stops after the round in progress (its sends settle and commit) and releases the listening connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.wake();
    await this.loop;
    this.loop = undefined;
    await this.listener.stop();
  }

  /** Looks at the table now rather than at the next notification or poll. */
  poke(): void {
    this.wake.wake();
  }

  /** A copy of the counters. */
  counters(): OutboxRelayCounters {
    return { ...this.totals };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        more = await this.round();
        if (this.failing) this.logger.log('Outbox relay works again');
        this.failing = false;
      } catch (err) {
        // Logged once per outage, not once per poll.
        if (!this.failing) this.logger.error('Outbox relay round failed; retrying at the next poll', { error: (err as Error).message });
        this.failing = true;
      }
      if (!more && !this.stopped) await this.wake.wait(this.settings.pollInterval);
    }
  }

  /** One claim-send-mark transaction. @returns whether a full batch was sent (more may be due). */
  private async round(): Promise<boolean> {
    const transport = this.transport();
    if (!transport.isConnected()) return false;
    const claimed = await inPoolTransaction(this.pool, async (client) => {
      const db = pgExecutor(client);
      const rows = await this.store.claim(db, this.settings.batchSize);
      await this.sendAll(
        db,
        rows.filter((r) => r.blocked !== true),
        transport,
      );
      return rows;
    });
    const ready = claimed.filter((r) => r.blocked !== true);
    if (claimed.length > 0) this.totals.batches++;
    return ready.length > 0 && claimed.length === this.settings.batchSize;
  }

  private async sendAll(db: SqlExecutor, raw: Record<string, unknown>[], transport: EventTransport): Promise<void> {
    const lanes = new Map<string, OutboxRow[]>();
    const undecodable: { id: string; reason: string }[] = [];
    raw.forEach((r, i) => {
      const row = decodeOutboxRow(r);
      if (typeof row === 'string') undecodable.push({ id: String(r.id), reason: `undecodable outbox row: ${row}` });
      else {
        // Rows without a key have a lane of their own: nothing orders them.
        const lane = row.partitionKey === null ? `#${i}` : `k:${row.partitionKey}`;
        const rows = lanes.get(lane);
        if (rows) rows.push(row);
        else lanes.set(lane, [row]);
      }
    });
    const sent: string[] = [];
    const failures: SendFailure[] = [];
    await Promise.all([...lanes.values()].map((lane) => this.sendLane(lane, transport, sent, failures)));

    await this.store.markSent(db, sent);
    this.totals.sent += sent.length;
    for (const { row, error } of failures) {
      this.totals.failed++;
      const delay = outboxRetryDelay(row.attempts + 1, this.settings);
      const dead = await this.store.markFailed(db, row.id, error.message, delay, this.settings.maxAttempts);
      if (dead) this.totals.dead++;
      this.logger[dead ? 'error' : 'warn'](dead ? 'Outbox row is dead: attempts used up' : 'Outbox send failed; will retry', {
        eventId: row.eventId,
        type: row.routingKey,
        attempt: row.attempts + 1,
        error: error.message,
      });
    }
    for (const { id, reason } of undecodable) {
      await this.store.markDead(db, id, reason);
      this.totals.dead++;
      this.logger.error('Outbox row is dead: it cannot be decoded', { outboxId: id, error: reason });
    }
  }

  /** Sends a lane's rows in order, each after the previous confirm; stops at the first failure. */
  private async sendLane(lane: OutboxRow[], transport: EventTransport, sent: string[], failures: SendFailure[]): Promise<void> {
    for (const row of lane) {
      try {
        await transport.send(row.exchange, row.routingKey, row.body, row.properties, row.eventId);
        sent.push(row.id);
      } catch (err) {
        // The broker went away mid-round: not the row's fault, so no attempt is counted.
        if (transport.isConnected()) failures.push({ row, error: err as Error });
        return;
      }
    }
  }
}
