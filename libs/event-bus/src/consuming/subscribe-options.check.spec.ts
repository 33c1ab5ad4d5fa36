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

  it.each<[Record<string, unknown>, string]>([
    [{ retryDelayy: 10 }, 'retryDelay'],
    [{ prefetchh: 5 }, 'prefetch'],
    [{ durabel: true }, 'durable'],
    [{ use_cache: true }, 'useCache'],
    [{ idempotant: false }, 'idempotent'],
    [{ deadLetterTreshold: 3 }, 'deadLetterThreshold'],
  ])('refuses the misspelt key of %j, suggesting %s', (options, suggestion) => {
    const [key] = Object.keys(options);

    expect(subscribeOptionProblems(options, 'OrderHandler.onCreated')).toEqual([
      `OrderHandler.onCreated.${key}: unknown option; did you mean ${suggestion}?`,
    ]);
  });

  it('refuses a far-off key without a bogus suggestion, listing the known keys', () => {
    const problems = subscribeOptionProblems({ priority: 10 }, 'options');

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^options\.priority: unknown option; known options: /);
    expect(problems[0]).not.toContain('did you mean');
    for (const key of ['durable', 'useCache', 'queue', 'prefetch', 'ordered', 'schema', 'idempotent', 'deadLetterThreshold']) {
      expect(problems[0]).toContain(key);
    }
  });

  it('reports unknown keys together with the other problems', () => {
    const problems = subscribeOptionProblems({ retryCount: -1, retryDelayy: 10, prefetch: 0, prefetchh: 5, ordered: 'yes' }, 'sub');

    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'sub.retryCount',
      'sub.prefetch',
      'sub.ordered',
      'sub.retryDelayy',
      'sub.prefetchh',
    ]);
  });

  it('accepts every key of SubscribeOptions', () => {
    const all = {
      retryCount: 1,
      retryDelay: 1,
      retryBackoff: 'fixed',
      durable: false,
      useCache: true,
      queue: 'q',
      prefetch: 1,
      ordered: true,
      schema: SomeDto,
      idempotent: false,
      deadLetterThreshold: 1,
    };
    expect(subscribeOptionProblems(all, 'h')).toEqual([]);
  });
});
