import { outboxRetryDelay } from './outbox-backoff';

describe('outboxRetryDelay', () => {
  const backoff = { initialDelay: 100, maxDelay: 1_000 };

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((n) => outboxRetryDelay(n, backoff))).toEqual([100, 200, 400, 800]);
  });

  it('is capped at maxDelay, even for huge attempt counts', () => {
    expect(outboxRetryDelay(5, backoff)).toBe(1_000);
    expect(outboxRetryDelay(10_000, backoff)).toBe(1_000);
  });

  it('treats a zero count as the first failure', () => {
    expect(outboxRetryDelay(0, backoff)).toBe(100);
  });
});
