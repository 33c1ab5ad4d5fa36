import { formatBody, formatDeadLetterDetails } from './dead-letter-details';
import { deadLetter } from './dead-letter.spec-helper';

const HISTORY = [
  { attempt: 1, error: 'db down', timestamp: '2024-05-01T11:58:00.000Z' },
  { attempt: 2, error: 'still down\nwith a second line', timestamp: '2024-05-01T11:59:00.000Z' },
];

describe('formatDeadLetterDetails', () => {
  const letter = deadLetter({
    error: 'still down\nwith a second line',
    errorName: 'GatewayError',
    attempts: 2,
    history: HISTORY,
    body: '{"specversion":"1.0","id":"evt-1","data":{"total":42}}',
    headers: { 'x-error': 'still down', 'x-retry-count': 1, 'x-death': [{ queue: 'orders.ORDER_PLACED', count: 1 }] },
    properties: { messageId: 'evt-1', contentType: 'application/cloudevents+json', timestamp: 1714564800 },
  });
  const text = formatDeadLetterDetails(letter);
  const lines = text.split('\n');

  it('starts with the summary, values in one column', () => {
    expect(lines.slice(0, 9)).toEqual([
      'Event ID        evt-1',
      'Type            ORDER_PLACED',
      'Original queue  orders.ORDER_PLACED',
      'Error name      GatewayError',
      'Error           still down',
      '                with a second line',
      'Attempts        2',
      'Failed at       2024-05-01T12:00:00.000Z',
      'Correlation ID  corr-1',
    ]);
    expect(text).toContain('Replay count    0');
  });

  it('prints the retry history, oldest first', () => {
    expect(text).toContain(
      [
        'Retry history (2):',
        '  #1  2024-05-01T11:58:00.000Z  db down',
        '  #2  2024-05-01T11:59:00.000Z  still down',
        '    with a second line',
      ].join('\n'),
    );
  });

  it('prints every header, text as is and other values as JSON', () => {
    expect(text).toContain(
      [
        'Headers:',
        '  x-error:        still down',
        '  x-retry-count:  1',
        '  x-death:        [{"queue":"orders.ORDER_PLACED","count":1}]',
      ].join('\n'),
    );
  });

  it('prints the properties', () => {
    expect(text).toContain(
      ['Properties:', '  messageId:    evt-1', '  contentType:  application/cloudevents+json', '  timestamp:    1714564800'].join('\n'),
    );
  });

  it('ends with the body, pretty-printed and indented', () => {
    expect(text.slice(text.indexOf('Body:'))).toBe(
      ['Body:', '  {', '    "specversion": "1.0",', '    "id": "evt-1",', '    "data": {', '      "total": 42', '    }', '  }'].join('\n'),
    );
  });

  it('says (none) for missing history, headers and properties, and - for unknown fields', () => {
    const bare = formatDeadLetterDetails(deadLetter({ failedAt: undefined, correlationId: undefined }));
    expect(bare).toContain('Retry history (0):\n  (none)');
    expect(bare).toContain('Headers: (none)');
    expect(bare).toContain('Properties: (none)');
    expect(bare).toContain('Failed at       -');
    expect(bare).toContain('Correlation ID  -');
  });
});

describe('formatBody', () => {
  it('pretty-prints JSON', () => {
    expect(formatBody('[1,{"a":null}]')).toBe('[\n  1,\n  {\n    "a": null\n  }\n]');
  });

  it('keeps anything else as it is', () => {
    expect(formatBody('not json {')).toBe('not json {');
    expect(formatBody('<xml/>')).toBe('<xml/>');
  });

  it('marks an empty body', () => {
    expect(formatBody('')).toBe('(empty)');
  });
});
