import { QueueTrendSampler } from './queue-trend.sampler';

describe('QueueTrendSampler', () => {
  let now: number;
  const sampler = () => new QueueTrendSampler(60_000, () => now);

  beforeEach(() => (now = 1_000_000));

  it('has no rate from a single sample, and no trend', () => {
    expect(sampler().record('q', 10, 3)).toEqual({
      handledPerSecond: null,
      deadLetterChange: 0,
      deadLetterSamples: [{ at: new Date(1_000_000).toISOString(), depth: 3 }],
    });
  });

  it('measures the handling rate over the last ten seconds', () => {
    const s = sampler();
    s.record('q', 0, 0);
    now += 20_000;
    s.record('q', 100, 0);
    now += 5000;
    s.record('q', 150, 0);
    now += 5000;
    // From the sample 10 s back (100 handled) to now (250): 15 per second.
    expect(s.record('q', 250, 0).handledPerSecond).toBe(15);
  });

  it('reports the dead-letter change over the window and forgets older samples', () => {
    const s = sampler();
    s.record('q', 0, 5);
    now += 30_000;
    expect(s.record('q', 0, 8).deadLetterChange).toBe(3);
    now += 40_000; // the first sample is now 70 s old: out of the 60 s window
    const trend = s.record('q', 0, 2);
    expect(trend.deadLetterChange).toBe(-6);
    expect(trend.deadLetterSamples.map((x) => x.depth)).toEqual([8, 2]);
  });

  it('lets samples less than a second apart replace each other', () => {
    const s = sampler();
    s.record('q', 0, 1);
    now += 2000;
    s.record('q', 0, 2);
    now += 300;
    expect(s.record('q', 0, 3).deadLetterSamples.map((x) => x.depth)).toEqual([1, 3]);
  });

  it('gives no rate when the counter went backwards (a restart)', () => {
    const s = sampler();
    s.record('q', 500, 0);
    now += 5000;
    expect(s.record('q', 10, 0).handledPerSecond).toBeNull();
  });

  it('keeps queues apart', () => {
    const s = sampler();
    s.record('a', 0, 1);
    expect(s.record('b', 0, 7).deadLetterSamples).toHaveLength(1);
  });
});
