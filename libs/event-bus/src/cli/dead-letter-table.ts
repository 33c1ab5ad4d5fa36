import type { DeadLetter } from '../dead-letters/dead-letter.interface';

const COLUMNS: Array<{ title: string; value: (d: DeadLetter) => string; max: number }> = [
  { title: 'EVENT ID', value: (d) => d.eventId, max: 36 },
  { title: 'TYPE', value: (d) => d.type, max: 24 },
  { title: 'ERROR', value: (d) => d.error, max: 48 },
  { title: 'ATTEMPTS', value: (d) => String(d.attempts), max: 8 },
  { title: 'FAILED AT', value: (d) => d.failedAt ?? '-', max: 24 },
  { title: 'CORRELATION ID', value: (d) => d.correlationId ?? '-', max: 36 },
];

const clip = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Dead letters as a plain-text table, one row each; long cells are clipped. */
export function formatDeadLetterTable(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return '(no dead letters)';
  const rows = letters.map((d) => COLUMNS.map((c) => clip(c.value(d), c.max)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
