import type { EventBus, EventEnvelope } from 'nestjs-event-bus';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from './wait-for';

/** Counts handler runs per event id, with the time of each event's first run. */
export class HandledLog {
  readonly runs = new Map<string, number>();
  readonly firstRunAt = new Map<string, number>();

  /** The handler to subscribe: records one run. */
  readonly handler = (event: EventEnvelope): void => {
    this.runs.set(event.id, (this.runs.get(event.id) ?? 0) + 1);
    if (!this.firstRunAt.has(event.id)) this.firstRunAt.set(event.id, Date.now());
  };

  /** Extra runs: events that ran more than once. */
  duplicates(ids: readonly string[]): number {
    return ids.reduce((sum, id) => sum + Math.max(0, (this.runs.get(id) ?? 0) - 1), 0);
  }
}

/** What a failover under load measured. */
export interface FailoverReport {
  published: number;
  /** Published events never handled (must be 0). */
  lost: number;
  /** Extra handler runs (a done mark lost with the dead master). */
  duplicates: number;
  /** Published after the kill and before a replica took over: held by the consumer, handled later. */
  heldAcrossFailover: number;
  /**
   * Events first handled between 100 ms and `quietMs` after the kill, while no replica can have
   * taken over yet: 0 behind Sentinel (nothing runs blind), the other masters' share on a cluster.
   */
  handledBeforePromotion: number;
  /** Kill to the new master being named (sentinel) or serving its slots (cluster), in ms. */
  promotedAfterMs: number;
  /** Kill to every event published before the kill being handled, in ms. */
  caughtUpAfterMs: number;
}

/** How {@link failoverUnderLoad} kills and watches the Redis side. */
export interface FailoverScenario {
  bus: EventBus;
  type: string;
  log: HandledLog;
  /** Kills the master (SIGKILL). */
  killMaster(): Promise<void>;
  /** Resolves when a replica has taken over. */
  waitPromoted(): Promise<void>;
  /** Events published per tick (a tick: the publishes confirmed, then a 20 ms pause). Default 4. */
  perTick?: number;
  /** How long after a kill no replica can have taken over (the failure detection time). */
  quietMs: number;
}

/**
 * Publishes a steady stream of events, kills the Redis master in the middle of it, keeps
 * publishing through the failover and for a while after, then waits until every published
 * event was handled at least once.
 */
export async function failoverUnderLoad(scenario: FailoverScenario): Promise<FailoverReport> {
  const { bus, type, log } = scenario;
  const published: Array<{ id: string; at: number }> = [];
  let publishing = true;
  let publishError: unknown;
  const publisher = (async () => {
    let n = 0;
    while (publishing) {
      const batch = Array.from({ length: scenario.perTick ?? 4 }, () => bus.publish({ type, data: { n: n++ } }));
      for (const event of await Promise.all(batch)) published.push({ id: event.id, at: Date.now() });
      await sleep(20);
    }
  })().catch((error: unknown) => {
    publishError = error;
  });

  try {
    await waitFor(() => log.runs.size >= 100, { timeoutMs: 30_000, message: '100 events handled before the kill' });
    const killedAt = Date.now();
    await scenario.killMaster();
    await scenario.waitPromoted();
    const promotedAt = Date.now();
    const beforeKill = published.filter((p) => p.at < killedAt).map((p) => p.id);
    await waitFor(() => beforeKill.every((id) => log.runs.has(id)), {
      timeoutMs: 60_000,
      message: 'every event published before the kill',
    });
    const caughtUpAt = Date.now();
    // Keep the stream going a little after recovery, so the bus is shown working on the new master.
    await sleep(1_000);
    publishing = false;
    await publisher;
    if (publishError) throw publishError;
    const ids = published.map((p) => p.id);
    await waitFor(() => ids.every((id) => log.runs.has(id)), { timeoutMs: 60_000, message: 'every published event handled' }).catch(
      (error: Error) => {
        const missing = published.filter((p) => !log.runs.has(p.id)).map((p) => p.at - killedAt);
        throw new Error(
          `${error.message}: ${missing.length} of ${ids.length} missing, the first published ${missing.slice(0, 10).join(', ')} ms after the kill`,
        );
      },
    );
    return {
      published: ids.length,
      lost: ids.filter((id) => !log.runs.has(id)).length,
      duplicates: log.duplicates(ids),
      heldAcrossFailover: published.filter((p) => p.at >= killedAt && p.at < promotedAt).length,
      handledBeforePromotion: [...log.firstRunAt.values()].filter((t) => t > killedAt + 100 && t < killedAt + scenario.quietMs).length,
      promotedAfterMs: promotedAt - killedAt,
      caughtUpAfterMs: caughtUpAt - killedAt,
    };
  } finally {
    publishing = false;
    await publisher;
  }
}
