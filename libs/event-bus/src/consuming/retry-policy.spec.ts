import { distinctRetryDelays, resolveRetryPolicy, retryDelayFor, type RetryPolicy } from './retry-policy';

const MODULE = { retryCount: 3, retryDelay: 1000, retryBackoff: 'fixed' } as const;

describe('resolveRetryPolicy', () => {
  it('uses the module settings when the handler sets nothing', () => {
    expect(resolveRetryPolicy({}, MODULE)).toEqual({ retryCount: 3, retryDelay: 1000, backoff: 'fixed' });
  });

  it('lets every handler setting override the module setting', () => {
    expect(resolveRetryPolicy({ retryCount: 5, retryDelay: 250, retryBackoff: 'exponential' }, MODULE)).toEqual({
      retryCount: 5,
      retryDelay: 250,
      backoff: 'exponential',
    });
  });

  it('overrides field by field, keeping the module value for the others', () => {
    expect(resolveRetryPolicy({ retryDelay: 50 }, MODULE)).toEqual({ retryCount: 3, retryDelay: 50, backoff: 'fixed' });
    expect(resolveRetryPolicy({ retryBackoff: 'exponential' }, MODULE)).toEqual({
      retryCount: 3,
      retryDelay: 1000,
      backoff: 'exponential',
    });
  });

  it('keeps a handler value of 0 (not treated as missing)', () => {
    expect(resolveRetryPolicy({ retryCount: 0, retryDelay: 0 }, MODULE)).toEqual({ retryCount: 0, retryDelay: 0, backoff: 'fixed' });
  });
});

describe('retryDelayFor', () => {
  it('returns the base delay for every retry when fixed', () => {
    const policy: RetryPolicy = { retryCount: 4, retryDelay: 100, backoff: 'fixed' };
    expect([1, 2, 3, 4].map((n) => retryDelayFor(policy, n))).toEqual([100, 100, 100, 100]);
  });

  it('doubles the delay for every retry when exponential', () => {
    const policy: RetryPolicy = { retryCount: 4, retryDelay: 100, backoff: 'exponential' };
    expect([1, 2, 3, 4].map((n) => retryDelayFor(policy, n))).toEqual([100, 200, 400, 800]);
  });
});

describe('distinctRetryDelays', () => {
  it('gives one delay for a fixed policy, however many retries', () => {
    expect(distinctRetryDelays({ retryCount: 5, retryDelay: 100, backoff: 'fixed' })).toEqual([100]);
  });

  it('gives one delay per retry for an exponential policy', () => {
    expect(distinctRetryDelays({ retryCount: 3, retryDelay: 100, backoff: 'exponential' })).toEqual([100, 200, 400]);
  });

  it('gives no delay without retries', () => {
    expect(distinctRetryDelays({ retryCount: 0, retryDelay: 100, backoff: 'fixed' })).toEqual([]);
    expect(distinctRetryDelays({ retryCount: 0, retryDelay: 100, backoff: 'exponential' })).toEqual([]);
  });
});
