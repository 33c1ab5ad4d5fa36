import { outboxChannel, quoteSchema } from './sql-identifier';

describe('quoteSchema', () => {
  it('quotes a plain lower-case name', () => {
    expect(quoteSchema('event_bus')).toBe('"event_bus"');
  });

  it.each(['Event', 'a-b', 'x"; DROP TABLE y; --', '', '1abc', 'a'.repeat(49)])('refuses %j', (name) => {
    expect(() => quoteSchema(name)).toThrow(/Invalid schema name/);
  });

  it('derives the notification channel from the schema', () => {
    expect(outboxChannel('event_bus')).toBe('event_bus_outbox');
  });
});
