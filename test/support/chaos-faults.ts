import type { ChaosLedger } from './chaos-ledger';
import { waitFor } from './wait-for';

/** One injected fault, as the reliability report shows it. */
export interface FaultRecord {
  kind: string;
  /** ms from the start of the scenario to the injection. */
  atMs: number;
  /** Events confirmed to the publisher and effects recorded when the fault hit. */
  confirmedBefore: number;
  effectsBefore: number;
  /** ms from the injection until the fault was over (broker back, connections dropped, ...). */
  outageMs: number;
  /**
   * ms from the end of the fault until a handler recorded an effect again; 0 when nothing
   * was left to handle by then.
   */
  recoveryMs: number;
}

/**
 * Injects faults one at a time and measures how long handlers take to make progress again,
 * from the ledger's effect counter (polled: no handler hooks needed, child processes count).
 */
export class FaultLog {
  readonly faults: FaultRecord[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly ledger: ChaosLedger,
    /** Whether work is left: recovery is only measured when there is something to recover. */
    private readonly workLeft: () => boolean | Promise<boolean>,
    /** Publishes confirmed so far. */
    private readonly confirmed: () => number,
    private readonly recoveryTimeoutMs = 60_000,
  ) {}

  /** Waits until `progress()` reaches `threshold`, so faults hit a scenario under load. */
  async when(progress: () => number, threshold: number, what: string, timeoutMs = 120_000): Promise<void> {
    await waitFor(() => progress() >= threshold, { timeoutMs, intervalMs: 5, message: `${what} to reach ${threshold}` });
  }

  /**
   * Runs `fault` (which resolves once the fault is over), then waits for the next effect, or
   * for `recovered` to hold when the scenario knows better what recovery means.
   * @returns the record, also kept in `faults`.
   */
  async inject(kind: string, fault: () => Promise<void>, recovered?: () => Promise<boolean>): Promise<FaultRecord> {
    const finish = await this.begin(kind, fault);
    return finish(recovered);
  }

  /**
   * Runs `fault` and returns a function that waits for the recovery and completes the record:
   * lets a scenario inject the next fault before the last one has recovered.
   */
  async begin(kind: string, fault: () => Promise<void>): Promise<(recovered?: () => Promise<boolean>) => Promise<FaultRecord>> {
    const confirmedBefore = this.confirmed();
    const effectsBefore = await this.ledger.effectsTotal();
    const injected = Date.now();
    await fault();
    const healed = Date.now();
    const effectsAtHeal = await this.ledger.effectsTotal();
    const slot = this.faults.length;
    const record: FaultRecord = {
      kind,
      atMs: injected - this.startedAt,
      confirmedBefore,
      effectsBefore,
      outageMs: healed - injected,
      recoveryMs: 0,
    };
    this.faults.push(record);
    return async (recovered) => {
      if (recovered) {
        await waitFor(recovered, { timeoutMs: this.recoveryTimeoutMs, intervalMs: 10, message: `recovery from ${kind}` });
        record.recoveryMs = Date.now() - healed;
      } else if (await this.workLeft()) {
        await waitFor(async () => (await this.ledger.effectsTotal()) > effectsAtHeal || !(await this.workLeft()), {
          timeoutMs: this.recoveryTimeoutMs,
          intervalMs: 10,
          message: `handlers to make progress after ${kind}`,
        });
        record.recoveryMs = Date.now() - healed;
      }
      return this.faults[slot];
    };
  }
}
