import { Injectable } from '@nestjs/common';
import type { ConsumeOutcome, EventBusStatsListener } from './consume-outcome';

/** Handler durations kept per queue for percentiles: the most recent ones. */
const DURATION_SAMPLES = 2048;

/** Counters of one queue since the application started. */
export interface QueueCounters {
  handled: number;
  failed: number;
  retried: number;
  deadLettered: number;
  duplicates: number;
}

/** Handler time percentiles in milliseconds (over the most recent calls). */
export interface HandlerTimes {
  p50: number;
  p95: number;
  p99: number;
}

class QueueStats {
  readonly counters: QueueCounters = { handled: 0, failed: 0, retried: 0, deadLettered: 0, duplicates: 0 };
  private readonly durations = new Float64Array(DURATION_SAMPLES);
  private count = 0;

  addDuration(ms: number): void {
    this.durations[this.count++ % DURATION_SAMPLES] = ms;
  }

  percentiles(): HandlerTimes {
    const n = Math.min(this.count, DURATION_SAMPLES);
    if (n === 0) return { p50: 0, p95: 0, p99: 0 };
    const sorted = this.durations.slice(0, n).sort();
    const at = (p: number) => sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)];
    return { p50: at(50), p95: at(95), p99: at(99) };
  }
}

const COUNTER_OF: Record<ConsumeOutcome, keyof QueueCounters> = {
  handled: 'handled',
  failed: 'failed',
  retried: 'retried',
  'dead-lettered': 'deadLettered',
  duplicate: 'duplicates',
};

/**
 * In-process counters of what this service published and consumed, the source of the queue
 * health snapshot; listeners (Prometheus metrics) get every observation as it happens.
 */
@Injectable()
export class EventBusStats {
  private readonly queues = new Map<string, QueueStats>();
  private readonly listeners: EventBusStatsListener[] = [];

  /** Adds a listener of every observation from now on. */
  addListener(listener: EventBusStatsListener): void {
    this.listeners.push(listener);
  }

  published(type: string): void {
    for (const l of this.listeners) l.published?.(type);
  }

  consumed(queue: string, outcome: ConsumeOutcome): void {
    this.of(queue).counters[COUNTER_OF[outcome]]++;
    for (const l of this.listeners) l.consumed?.(queue, outcome);
  }

  handlerDuration(queue: string, ms: number): void {
    this.of(queue).addDuration(ms);
    for (const l of this.listeners) l.handlerDuration?.(queue, ms / 1000);
  }

  /** Counters and handler-time percentiles of a queue (zeros if it saw nothing). */
  queue(queue: string): QueueCounters & { handlerMs: HandlerTimes } {
    const stats = this.of(queue);
    return { ...stats.counters, handlerMs: stats.percentiles() };
  }

  private of(queue: string): QueueStats {
    let stats = this.queues.get(queue);
    if (!stats) this.queues.set(queue, (stats = new QueueStats()));
    return stats;
  }
}
