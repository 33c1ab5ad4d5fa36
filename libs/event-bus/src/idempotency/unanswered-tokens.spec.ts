import { UnansweredTokens } from './unanswered-tokens';

describe('UnansweredTokens', () => {
  it('hands a kept token out once, for its own key only', () => {
    const tokens = new UnansweredTokens();
    tokens.keep('k1', 'lease:a:1');

    expect(tokens.take('k2')).toBeUndefined();
    expect(tokens.take('k1')).toBe('lease:a:1');
    expect(tokens.take('k1')).toBeUndefined();
  });

  it('keeps the latest token of a key', () => {
    const tokens = new UnansweredTokens();
    tokens.keep('k1', 'lease:a:1');
    tokens.keep('k1', 'lease:a:2');
    expect(tokens.take('k1')).toBe('lease:a:2');
  });

  it('forgets the oldest tokens beyond its bound', () => {
    const tokens = new UnansweredTokens();
    for (let i = 0; i <= 10_000; i++) tokens.keep(`k${i}`, `t${i}`);
    expect(tokens.take('k0')).toBeUndefined();
    expect(tokens.take('k1')).toBe('t1');
    expect(tokens.take('k10000')).toBe('t10000');
  });
});
