import { closestMatch, editDistance } from './edit-distance';

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['prefetch', 'prefetch', 0],
    ['retryDelayy', 'retryDelay', 1], // insertion
    ['retryDelay', 'retryDela', 1], // deletion
    ['heartbeat', 'heartbeet', 1], // substitution
    ['perfetch', 'prefetch', 1], // swap of neighbours
    ['ca', 'abc', 3], // optimal string alignment: no edit of a swapped pair
    ['kitten', 'sitting', 3],
    ['url', 'tls', 3],
  ])('%j -> %j is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const keys = ['url', 'exchange', 'deadLetterExchange', 'retryCount', 'retryDelay', 'prefetch', 'tls', 'heartbeat'];

  it.each<[string, string]>([
    ['retryDelayy', 'retryDelay'],
    ['retrydelay', 'retryDelay'],
    ['RetryCount', 'retryCount'],
    ['retry_count', 'retryCount'],
    ['dead_letter_exchange', 'deadLetterExchange'],
    ['perfetch', 'prefetch'],
    ['exchang', 'exchange'],
    ['uri', 'url'],
    ['tsl', 'tls'],
  ])('for %j suggests %j', (word, expected) => {
    expect(closestMatch(word, keys)).toBe(expected);
  });

  it.each(['colour', 'ttl', 'x', 'retry', 'password', 'deadLetter'])('suggests nothing for the far-off %j', (word) => {
    expect(closestMatch(word, keys)).toBeUndefined();
  });

  it('prefers the nearest candidate, then the first listed', () => {
    expect(closestMatch('retryCoun', ['retryCount', 'retryCounts'])).toBe('retryCount');
    expect(closestMatch('abcdex', ['abcdeY', 'abcdeZ'])).toBe('abcdeY');
  });

  it('suggests nothing from an empty list', () => {
    expect(closestMatch('url', [])).toBeUndefined();
  });
});
