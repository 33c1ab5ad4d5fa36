import { formatDeadLetterTable } from './dead-letter-table';
import { deadLetter as letter } from './dead-letter.spec-helper';

/** Splits a row into its cells (columns are separated by at least two spaces). */
const cells = (line: string) => line.split(/ {2,}/);

describe('formatDeadLetterTable', () => {
  it('says so when there are no dead letters', () => {
    expect(formatDeadLetterTable([])).toBe('(no dead letters)');
  });

  it('starts with a header row and a rule as wide as each column', () => {
    const lines = formatDeadLetterTable([letter()]).split('\n');

    expect(cells(lines[0])).toEqual(['EVENT ID', 'TYPE', 'ERROR', 'ATTEMPTS', 'FAILED AT', 'CORRELATION ID']);
    expect(lines[1]).toMatch(/^[- ]+$/);
    // max(title, widest cell): EVENT ID, ORDER_PLACED, db down, ATTEMPTS, the ISO time, CORRELATION ID
    expect(lines[1].split('  ').map((rule) => rule.length)).toEqual([8, 12, 7, 8, 24, 14]);
    expect(lines).toHaveLength(3);
  });

  it('prints one row per dead letter, in order, with its columns aligned', () => {
    const text = formatDeadLetterTable([
      letter({ eventId: 'evt-1', type: 'ORDER_PLACED', error: 'db down', attempts: 4 }),
      letter({
        eventId: 'evt-22',
        type: 'ORDER_CANCELLED',
        error: 'bad input',
        attempts: 1,
        failedAt: undefined,
        correlationId: undefined,
      }),
    ]);
    const lines = text.split('\n');

    expect(lines).toHaveLength(4);
    expect(cells(lines[2])).toEqual(['evt-1', 'ORDER_PLACED', 'db down', '4', '2024-05-01T12:00:00.000Z', 'corr-1']);
    expect(cells(lines[3])).toEqual(['evt-22', 'ORDER_CANCELLED', 'bad input', '1', '-', '-']);
    // Every column starts at the same offset on every line.
    const typeColumn = lines[0].indexOf('TYPE');
    expect(lines[2].indexOf('ORDER_PLACED')).toBe(typeColumn);
    expect(lines[3].indexOf('ORDER_CANCELLED')).toBe(typeColumn);
    const errorColumn = lines[0].indexOf('ERROR');
    expect(lines[2].indexOf('db down')).toBe(errorColumn);
    expect(lines[3].indexOf('bad input')).toBe(errorColumn);
    expect(lines.every((l) => l === l.trimEnd())).toBe(true);
  });

  it('clips a long error to 48 characters ending with …', () => {
    const error = 'x'.repeat(30) + 'y'.repeat(30);
    const row = formatDeadLetterTable([letter({ error })]).split('\n')[2];
    const errorCell = cells(row)[2];

    expect(errorCell).toBe(`${'x'.repeat(30)}${'y'.repeat(17)}…`);
    expect(errorCell).toHaveLength(48);
    expect(row).not.toContain('y'.repeat(18));
  });

  it('keeps an error of exactly 48 characters whole', () => {
    const error = 'e'.repeat(48);
    expect(cells(formatDeadLetterTable([letter({ error })]).split('\n')[2])[2]).toBe(error);
  });

  it('flattens newlines and runs of whitespace in errors onto one line', () => {
    const text = formatDeadLetterTable([letter({ error: 'first line\nsecond\r\n\tthird' })]);
    const lines = text.split('\n');

    expect(lines).toHaveLength(3);
    expect(cells(lines[2])[2]).toBe('first line second third');
  });
});
