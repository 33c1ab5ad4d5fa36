import { resolveConsoleOptions } from './console-options';
import { InvalidConsoleOptionsError } from './invalid-console-options.error';

const guard = { canActivate: () => true };

describe('resolveConsoleOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveConsoleOptions({ guard }, {})).toEqual({
      path: 'event-bus',
      guard,
      insecureDevMode: false,
      pageSize: 50,
      refreshInterval: 2000,
      trendWindow: 300_000,
    });
  });

  it('trims slashes off the path and keeps nested paths', () => {
    expect(resolveConsoleOptions({ guard, path: '/ops/event-bus/' }, {}).path).toBe('ops/event-bus');
  });

  it('refuses to mount without a guard, saying how to mount on a developer machine', () => {
    expect(() => resolveConsoleOptions({}, {})).toThrow(InvalidConsoleOptionsError);
    expect(() => resolveConsoleOptions({}, {})).toThrow(/guard: .*insecureDevMode: true/);
    expect(resolveConsoleOptions({ insecureDevMode: true }, {}).insecureDevMode).toBe(true);
  });

  it('refuses insecureDevMode under NODE_ENV=production, even with a guard missing or not', () => {
    expect(() => resolveConsoleOptions({ insecureDevMode: true }, { NODE_ENV: 'production' })).toThrow(
      /refused because NODE_ENV is production/,
    );
  });

  it('names every bad option at once', () => {
    try {
      resolveConsoleOptions({ guard, path: 'has space', pageSize: 501, refreshInterval: 10, trendWindow: 5 }, {});
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as InvalidConsoleOptionsError).problems.map((p) => p.split(':')[0])).toEqual([
        'path',
        'pageSize',
        'refreshInterval',
        'trendWindow',
      ]);
    }
  });
});
