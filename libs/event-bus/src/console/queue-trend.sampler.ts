/** Span the handling rate is measured over: recent enough to follow a change, long enough to smooth single events. */
const RATE_SPAN_MS = 10_000;

/** Samples closer together than this replace one another, so many open pages do not flood the series. */
const MIN_SPACING_MS = 1000;

interface Sample {
  at: number;
  handled: number;
  deadLetters: number;
}

/** How a queue is moving, from the samples of the trend window. */
export interface QueueTrend {
  /** Events handled per second over the last ten seconds sampled; `null` until there are two samples. */
  handledPerSecond: number | null;
  /** Dead letters now minus at the start of the window (positive: growing). */
  deadLetterChange: number;
  /** Dead-letter depth at each sample of the window, oldest first. */
  deadLetterSamples: Array<{ at: string; depth: number }>;
}

/**
 * Keeps, per queue, samples of the handled counter and the dead-letter depth taken whenever the
 * console reads the queues (no timer: nothing runs while nobody looks), and turns them into a
 * rate and a trend. Samples older than the window are dropped, so memory stays bounded by
 * `windowMs / 1 s` samples per queue.
 */
export class QueueTrendSampler {
  private readonly series = new Map<string, Sample[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the current values of a queue and returns its trend including them. */
  record(queue: string, handled: number, deadLetters: number): QueueTrend {
    const at = this.now();
    let samples = this.series.get(queue);
    if (!samples) this.series.set(queue, (samples = []));
    const last = samples.at(-1);
    const sample = { at, handled, deadLetters };
    if (last && at - last.at < MIN_SPACING_MS && samples.length > 1) samples[samples.length - 1] = sample;
    else samples.push(sample);
    while (samples.length > 1 && samples[0].at < at - this.windowMs) samples.shift();
    return {
      handledPerSecond: this.rate(samples),
      deadLetterChange: deadLetters - samples[0].deadLetters,
      deadLetterSamples: samples.map((s) => ({ at: new Date(s.at).toISOString(), depth: s.deadLetters })),
    };
  }

  private rate(samples: readonly Sample[]): number | null {
    const latest = samples[samples.length - 1];
    const from = samples.find((s) => s.at >= latest.at - RATE_SPAN_MS && s !== latest) ?? samples[samples.length - 2];
    if (!from || latest.at === from.at) return null;
    // A counter below its earlier value means the process restarted its counters: no rate yet.
    const handled = latest.handled - from.handled;
    return handled < 0 ? null : Math.round((handled / ((latest.at - from.at) / 1000)) * 100) / 100;
  }
}
