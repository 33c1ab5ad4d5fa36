import type { DeadLetter } from '../dead-letters/dead-letter.interface';

/** Indents every line after the first by `width` spaces, so a multi-line value stays in its column. */
const hang = (text: string, width: number) => text.replace(/\r?\n/g, `\n${' '.repeat(width)}`);

/** A header or property value as one would type it: text as is, anything else as JSON. */
const valueText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

/** `label  value` lines with the values in one column. */
function fields(rows: Array<[string, string]>, indent = ''): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}${hang(value, indent.length + width)}`);
}

/** A titled section of `key: value` lines (headers, properties), or `(none)`. */
function table(title: string, entries: Record<string, unknown>): string[] {
  const keys = Object.keys(entries);
  if (keys.length === 0) return [`${title}: (none)`];
  return [
    `${title}:`,
    ...fields(
      keys.map((key) => [`${key}:`, valueText(entries[key])]),
      '  ',
    ),
  ];
}

/** The body, pretty-printed when it is JSON, as is otherwise. */
export function formatBody(body: string): string {
  if (body === '') return '(empty)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * One dead letter in full, for `show`: its summary, the whole error, the retry history, every
 * header, the properties and the body (pretty-printed when it is JSON).
 */
export function formatDeadLetterDetails(letter: DeadLetter): string {
  const history = letter.history.length ? letter.history.map((h) => `  #${h.attempt}  ${h.timestamp}  ${hang(h.error, 4)}`) : ['  (none)'];
  return [
    ...fields([
      ['Event ID', letter.eventId],
      ['Type', letter.type],
      ['Original queue', letter.originalQueue],
      ['Error name', letter.errorName],
      ['Error', letter.error],
      ['Attempts', String(letter.attempts)],
      ['Failed at', letter.failedAt ?? '-'],
      ['Correlation ID', letter.correlationId ?? '-'],
      ['Replay count', String(letter.replayCount)],
    ]),
    '',
    `Retry history (${letter.history.length}):`,
    ...history,
    '',
    ...table('Headers', letter.headers),
    '',
    ...table('Properties', letter.properties),
    '',
    'Body:',
    `  ${hang(formatBody(letter.body), 2)}`,
  ].join('\n');
}
