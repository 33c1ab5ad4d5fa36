import { DEFAULT_PARTITIONS, MAX_PARTITIONS, subscribeOptionProblems } from './subscribe-options.check';

describe("subscribeOptionProblems: ordered: 'byKey' and partitions", () => {
  it('accepts byKey with or without partitions, within 1..256', () => {
    expect(subscribeOptionProblems({ ordered: 'byKey' }, 'h')).toEqual([]);
    for (const partitions of [1, 8, 256]) expect(subscribeOptionProblems({ ordered: 'byKey', partitions }, 'h')).toEqual([]);
    expect(subscribeOptionProblems({ ordered: 'byKey', durable: true, idempotent: true, retryCount: 2 }, 'h')).toEqual([]);
  });

  it('keeps accepting ordered true and false', () => {
    expect(subscribeOptionProblems({ ordered: true }, 'h')).toEqual([]);
    expect(subscribeOptionProblems({ ordered: false }, 'h')).toEqual([]);
  });

  it.each([['bykey'], ['key'], [1], [null], [{}]])('refuses ordered: %p, naming the values allowed', (ordered) => {
    expect(subscribeOptionProblems({ ordered }, '@OnEvent(T) on A.m')).toEqual([
      expect.stringMatching(/^@OnEvent\(T\) on A\.m\.ordered: must be true, false or 'byKey' \(got /),
    ]);
  });

  it.each([[0], [257], [2.5], [-1], ['8'], [Number.NaN]])('refuses partitions: %p', (partitions) => {
    const problems = subscribeOptionProblems({ ordered: 'byKey', partitions }, 'h');
    expect(problems).toEqual([expect.stringMatching(/^h\.partitions: must be an integer from 1 to 256 \(got /)]);
  });

  it.each([[undefined], [true], [false]])('refuses partitions without byKey (ordered: %p)', (ordered) => {
    expect(subscribeOptionProblems({ ordered, partitions: 4 }, 'h')).toEqual([
      `h.partitions: only with ordered: 'byKey' (got ordered: ${String(ordered)})`,
    ]);
  });

  it('refuses byKey on a private queue and with useCache, naming the option', () => {
    expect(subscribeOptionProblems({ ordered: 'byKey', durable: false }, 'h')).toEqual([
      "h.ordered: 'byKey' needs a durable queue shared by the instances; drop durable: false",
    ]);
    expect(subscribeOptionProblems({ ordered: 'byKey', useCache: true }, 'h')).toEqual([
      "h.useCache: not with ordered: 'byKey' (cached events would bypass the partitions)",
    ]);
  });

  it('suggests partitions for a misspelt key', () => {
    expect(subscribeOptionProblems({ ordered: 'byKey', partitons: 4 }, 'h')).toEqual([expect.stringContaining('did you mean partitions?')]);
  });

  it('defaults to 8 partitions, at most 256', () => {
    expect(DEFAULT_PARTITIONS).toBe(8);
    expect(MAX_PARTITIONS).toBe(256);
  });
});
