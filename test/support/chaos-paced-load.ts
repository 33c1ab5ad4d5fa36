import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from 'nestjs-event-bus';
import type { ChaosLedger } from './chaos-ledger';
import type { LoadResult } from './chaos-load';

/** What a paced load is asked to do. */
export interface PacedLoadOptions {
  type: string;
  /** Publishes started per second. */
  ratePerSecond: number;
  /** Publishes waiting for their confirm at most; the pace waits beyond it (an outage). */
  maxInFlight: number;
}

/**
 * Publishes at a steady rate until `stop()`, for scenarios whose faults take a while (nodes
 * rebooting): the load goes on through every fault instead of running out before the last.
 * Each outcome goes to the ledger as with `PublishLoad`; the start time of every publish is
 * kept, so a scenario can tell when events published after a fault got through.
 */
export class PacedLoad {
  attempted = 0;
  confirmed = 0;
  readonly rejected: Record<string, number> = {};
  /** Start time of the latest publish that was confirmed (ms since the epoch). */
  latestConfirmedStart = 0;
  private readonly startedAt = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly bus: EventBus,
    private readonly ledger: ChaosLedger,
    private readonly options: PacedLoadOptions,
  ) {}

  /** When the publish of event `id` started, if this load published it. */
  startOf(id: string): number | undefined {
    return this.startedAt.get(id);
  }

  /** Ends the load: `run()` resolves once the publishes in flight have settled. */
  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<LoadResult> {
    const started = Date.now();
    const interval = 1000 / this.options.ratePerSecond;
    const inFlight = new Set<Promise<void>>();
    let next = Date.now();
    while (!this.stopped) {
      if (inFlight.size >= this.options.maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      const now = Date.now();
      if (now < next) {
        await sleep(next - now);
        continue;
      }
      // After a stall, carry on at the rate instead of bursting to catch up.
      next = Math.max(next + interval, now - 100);
      const publish: Promise<void> = this.publishOne().finally(() => inFlight.delete(publish));
      inFlight.add(publish);
    }
    await Promise.all(inFlight);
    await this.ledger.flush();
    return { attempted: this.attempted, confirmed: this.confirmed, rejected: this.rejected, durationMs: Date.now() - started };
  }

  private async publishOne(): Promise<void> {
    const id = randomUUID();
    const start = Date.now();
    this.startedAt.set(id, start);
    const i = this.attempted++;
    try {
      await this.bus.publish({ id, type: this.options.type, data: { i } });
      this.ledger.recordConfirmed(id);
      this.confirmed++;
      this.latestConfirmedStart = Math.max(this.latestConfirmedStart, start);
    } catch (err) {
      const name = (err as Error).name ?? 'Error';
      this.ledger.recordUnconfirmed(id, name);
      this.rejected[name] = (this.rejected[name] ?? 0) + 1;
    }
  }
}
