import { randomUUID } from 'node:crypto';
import type { EventBus } from 'nestjs-event-bus';
import type { ChaosLedger } from './chaos-ledger';

/** What a publish load is asked to do. */
export interface LoadOptions {
  type: string;
  count: number;
  /** Publishes waiting for their confirm at once. */
  concurrency: number;
  /** Payload of the i-th event. */
  data?: (i: number) => unknown;
}

/** Counts of a finished load. */
export interface LoadResult {
  attempted: number;
  confirmed: number;
  /** Error name -> publishes that rejected with it. */
  rejected: Record<string, number>;
  durationMs: number;
}

/**
 * Publishes `count` events with bounded concurrency and writes each outcome to the ledger.
 * The ids are chosen here, so a publish that rejects is still known by its id (a timed-out
 * publish may have reached the broker all the same). `confirmed` is live, for fault triggers.
 */
export class PublishLoad {
  attempted = 0;
  confirmed = 0;
  readonly rejected: Record<string, number> = {};
  readonly ids: string[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly ledger: ChaosLedger,
    private readonly options: LoadOptions,
  ) {}

  /** Publishes that resolved or rejected so far. */
  get settled(): number {
    return this.confirmed + Object.values(this.rejected).reduce((sum, n) => sum + n, 0);
  }

  async run(): Promise<LoadResult> {
    const started = Date.now();
    const workers = Array.from({ length: Math.min(this.options.concurrency, this.options.count) }, () => this.worker());
    await Promise.all(workers);
    await this.ledger.flush();
    return { attempted: this.attempted, confirmed: this.confirmed, rejected: this.rejected, durationMs: Date.now() - started };
  }

  private async worker(): Promise<void> {
    const { type, count, data = (i: number) => ({ i }) } = this.options;
    while (this.attempted < count) {
      const i = this.attempted++;
      const id = randomUUID();
      this.ids.push(id);
      try {
        await this.bus.publish({ id, type, data: data(i) });
        this.ledger.recordConfirmed(id);
        this.confirmed++;
      } catch (err) {
        const name = (err as Error).name ?? 'Error';
        this.ledger.recordUnconfirmed(id, name);
        this.rejected[name] = (this.rejected[name] ?? 0) + 1;
      }
    }
  }
}
