import { subscribeOptionProblems } from './subscribe-options.check';

class SomeDto {}

describe('subscribeOptionProblems', () => {
  it('returns no problem for valid or absent overrides', () => {
    expect(subscribeOptionProblems({}, 'OrderHandler.onCreated')).toEqual([]);
    expect(
      subscribeOptionProblems(
        { retryCount: 0, retryDelay: 10, retryBackoff: 'exponential', prefetch: 1, queue: 'svc.orders', schema: SomeDto },
        'h',
      ),
    ).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['retryCount', { retryCount: -1 }],
    ['retryCount', { retryCount: 2.5 }],
    ['retryDelay', { retryDelay: -1 }],
    ['retryBackoff', { retryBackoff: 'random' }],
    ['prefetch', { prefetch: 0 }],
    ['queue', { queue: 'has space' }],
    ['queue', { queue: '' }],
    ['queue', { queue: 12 }],
    ['schema', { schema: {} }],
  ])('names <where>.%s', (field, options) => {
    const problems = subscribeOptionProblems(options, 'OrderHandler.onCreated');

    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`OrderHandler.onCreated.${field}: `)).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = subscribeOptionProblems({ retryCount: -1, retryBackoff: 'x', prefetch: 0 }, 'sub');

    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual(['sub.retryCount', 'sub.retryBackoff', 'sub.prefetch']);
  });
});
