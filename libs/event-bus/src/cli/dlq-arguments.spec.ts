import { DLQ_USAGE, parseDlqArguments } from './dlq-arguments';

describe('parseDlqArguments', () => {
  it.each(['list', 'count', 'replay', 'purge'] as const)('parses the %s action with its queue', (action) => {
    expect(parseDlqArguments([action, 'orders.ORDER_PLACED'])).toEqual({ action, queue: 'orders.ORDER_PLACED', limit: undefined, ids: [] });
  });

  it('parses --limit', () => {
    expect(parseDlqArguments(['list', 'q', '--limit', '5'])).toEqual({ action: 'list', queue: 'q', limit: 5, ids: [] });
  });

  it('accepts options before the positionals', () => {
    expect(parseDlqArguments(['--limit', '2', 'replay', 'q'])).toEqual({ action: 'replay', queue: 'q', limit: 2, ids: [] });
  });

  it('collects repeated --id in order', () => {
    expect(parseDlqArguments(['replay', 'q', '--id', 'evt-1', '--id', 'evt-2', '--limit', '10', '--id', 'evt-3'])).toEqual({
      action: 'replay',
      queue: 'q',
      limit: 10,
      ids: ['evt-1', 'evt-2', 'evt-3'],
    });
  });

  it('shows the usage for an unknown action', () => {
    expect(() => parseDlqArguments(['drop', 'q'])).toThrow(DLQ_USAGE);
  });

  it('shows the usage without any argument', () => {
    expect(() => parseDlqArguments([])).toThrow(DLQ_USAGE);
  });

  it('shows the usage when the queue is missing', () => {
    expect(() => parseDlqArguments(['list'])).toThrow(DLQ_USAGE);
    expect(() => parseDlqArguments(['replay', '--limit', '3'])).toThrow(DLQ_USAGE);
  });

  it('shows the usage for an extra positional argument', () => {
    expect(() => parseDlqArguments(['list', 'q', 'other'])).toThrow(DLQ_USAGE);
  });

  it.each([['0'], ['-1'], ['1.5'], ['abc'], ['']])('rejects --limit %p, naming the option and showing the usage', (value) => {
    expect(() => parseDlqArguments(['list', 'q', '--limit', value])).toThrow(`--limit needs a whole number >= 1\n${DLQ_USAGE}`);
  });

  it('rejects --limit without a value', () => {
    expect(() => parseDlqArguments(['list', 'q', '--limit'])).toThrow(`--limit needs a whole number >= 1\n${DLQ_USAGE}`);
  });

  it('rejects --id without a value', () => {
    expect(() => parseDlqArguments(['replay', 'q', '--id'])).toThrow(`--id needs an event id\n${DLQ_USAGE}`);
  });

  it('rejects an unknown option, naming it and showing the usage', () => {
    expect(() => parseDlqArguments(['list', 'q', '--force'])).toThrow(`unknown option --force\n${DLQ_USAGE}`);
  });

  it('names every action in the usage', () => {
    expect(DLQ_USAGE).toContain('list|count|replay|purge <queue>');
    expect(DLQ_USAGE).toContain('--limit N');
    expect(DLQ_USAGE).toContain('--id');
  });
});
