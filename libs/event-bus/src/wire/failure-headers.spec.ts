import { describeError, FAILURE_HEADERS, retryCountOf, retryHistoryOf } from './failure-headers';

describe('FAILURE_HEADERS', () => {
  it('names the headers of docs/wire-format.md §4', () => {
    expect(FAILURE_HEADERS).toEqual({
      error: 'x-error',
      errorName: 'x-error-name',
      retryCount: 'x-retry-count',
      retryHistory: 'x-retry-history',
      originalQueue: 'x-original-queue',
      originalRoutingKey: 'x-original-routing-key',
      failedAt: 'x-failed-at',
      replayCount: 'x-replay-count',
    });
  });
});

describe('retryCountOf', () => {
  it('is 0 without headers or without the header', () => {
    expect(retryCountOf(undefined)).toBe(0);
    expect(retryCountOf({})).toBe(0);
  });

  it('reads a numeric header', () => {
    expect(retryCountOf({ 'x-retry-count': 0 })).toBe(0);
    expect(retryCountOf({ 'x-retry-count': 2 })).toBe(2);
  });

  it('reads a header sent as a string', () => {
    expect(retryCountOf({ 'x-retry-count': '3' })).toBe(3);
  });

  it('treats a negative count as 0', () => {
    expect(retryCountOf({ 'x-retry-count': -2 })).toBe(0);
    expect(retryCountOf({ 'x-retry-count': '-1' })).toBe(0);
  });

  it('treats a non-integer count as 0', () => {
    expect(retryCountOf({ 'x-retry-count': 1.5 })).toBe(0);
    expect(retryCountOf({ 'x-retry-count': 'abc' })).toBe(0);
  });
});

describe('retryHistoryOf', () => {
  const entries = [
    { attempt: 1, error: 'boom', timestamp: '2024-01-01T00:00:00.000Z' },
    { attempt: 2, error: 'bang', timestamp: '2024-01-01T00:00:01.000Z' },
  ];

  it('is empty without headers or without the header', () => {
    expect(retryHistoryOf(undefined)).toEqual([]);
    expect(retryHistoryOf({})).toEqual([]);
  });

  it('parses JSON given as a string', () => {
    expect(retryHistoryOf({ 'x-retry-history': JSON.stringify(entries) })).toEqual(entries);
  });

  it('parses JSON given as a Buffer (how amqplib hands over long strings)', () => {
    expect(retryHistoryOf({ 'x-retry-history': Buffer.from(JSON.stringify(entries)) })).toEqual(entries);
  });

  it('treats damaged JSON as no history instead of throwing', () => {
    expect(retryHistoryOf({ 'x-retry-history': '[{"attempt":1,' })).toEqual([]);
    expect(retryHistoryOf({ 'x-retry-history': Buffer.from('not json') })).toEqual([]);
  });

  it('treats JSON that is not an array as no history', () => {
    expect(retryHistoryOf({ 'x-retry-history': JSON.stringify(entries[0]) })).toEqual([]);
    expect(retryHistoryOf({ 'x-retry-history': '"text"' })).toEqual([]);
    expect(retryHistoryOf({ 'x-retry-history': 'null' })).toEqual([]);
  });

  it('ignores a header of another type', () => {
    expect(retryHistoryOf({ 'x-retry-history': 42 })).toEqual([]);
    expect(retryHistoryOf({ 'x-retry-history': entries })).toEqual([]);
  });

  it('drops entries without a numeric attempt', () => {
    const mixed = [entries[0], { attempt: '2', error: 'x' }, null, 'text', 7, { error: 'no attempt' }, entries[1]];
    expect(retryHistoryOf({ 'x-retry-history': JSON.stringify(mixed) })).toEqual(entries);
  });
});

describe('describeError', () => {
  it('describes an Error by its message and name', () => {
    expect(describeError(new Error('boom'))).toEqual({ message: 'boom', name: 'Error' });
    expect(describeError(new TypeError('bad type'))).toEqual({ message: 'bad type', name: 'TypeError' });
  });

  it('keeps the name of a custom error class', () => {
    class PaymentDeclinedError extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'PaymentDeclinedError';
      }
    }
    expect(describeError(new PaymentDeclinedError('card expired'))).toEqual({ message: 'card expired', name: 'PaymentDeclinedError' });
  });

  it('uses the name as message for an Error without message', () => {
    const e = new Error('');
    e.name = 'SilentError';
    expect(describeError(e)).toEqual({ message: 'SilentError', name: 'SilentError' });
  });

  it('describes a thrown string as itself', () => {
    expect(describeError('plain failure')).toEqual({ message: 'plain failure', name: 'Error' });
  });

  it('describes a thrown plain object as JSON', () => {
    expect(describeError({ code: 42, reason: 'nope' })).toEqual({ message: '{"code":42,"reason":"nope"}', name: 'Error' });
  });

  it('describes undefined as "undefined"', () => {
    expect(describeError(undefined)).toEqual({ message: 'undefined', name: 'Error' });
  });
});
