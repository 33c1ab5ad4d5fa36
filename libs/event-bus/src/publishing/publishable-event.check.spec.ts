import { publishableEventProblems } from './publishable-event.check';

const long = (n: number) => 'x'.repeat(n);

describe('publishableEventProblems', () => {
  it('accepts a minimal event and a complete one', () => {
    expect(publishableEventProblems({ type: 'USER_CREATED', data: { id: 1 } })).toEqual([]);
    expect(
      publishableEventProblems({
        type: 'billing:invoice.paid-v2',
        data: null,
        id: long(255),
        key: 'k',
        metadata: { correlationId: 'c', causationId: 'x', version: '1.0.0', schemaVersion: '1.0' },
      }),
    ).toEqual([]);
  });

  it.each([null, undefined, 'USER_CREATED', 42])('refuses a non-object event %p', (event) => {
    expect(publishableEventProblems(event)).toEqual(['event must be an object with type and data']);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a wildcard', 'ORDER.*'],
    ['a # wildcard', 'ORDER.#'],
    ['a space', 'ORDER CREATED'],
    ['too long', long(201)],
    ['not a string', 5],
  ])('names a bad type (%s)', (_label, type) => {
    const problems = publishableEventProblems({ type, data: {} });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^type must be/);
  });

  it('requires data, and accepts null and other falsy payloads', () => {
    expect(publishableEventProblems({ type: 'T' })).toEqual(['data is required (use null for no payload)']);
    expect(publishableEventProblems({ type: 'T', data: undefined })).toEqual(['data is required (use null for no payload)']);
    for (const data of [null, 0, false, '']) expect(publishableEventProblems({ type: 'T', data })).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['too long', long(256)],
    ['not a string', 12],
  ])('names a bad id (%s)', (_label, id) => {
    expect(publishableEventProblems({ type: 'T', data: {}, id })).toEqual(['id must be a non-empty string of at most 255 characters']);
  });

  it.each([
    ['empty', ''],
    ['too long', long(256)],
    ['not a string', { k: 1 }],
  ])('names a bad key (%s)', (_label, key) => {
    expect(publishableEventProblems({ type: 'T', data: {}, key })).toEqual(['key must be a non-empty string of at most 255 characters']);
  });

  it.each(['not an object', null, 3])('names metadata that is not an object (%p)', (metadata) => {
    expect(publishableEventProblems({ type: 'T', data: {}, metadata })).toEqual(['metadata must be an object']);
  });

  it.each(['correlationId', 'causationId', 'version', 'schemaVersion'])('names a bad metadata.%s', (field) => {
    for (const bad of ['', long(256), 7]) {
      expect(publishableEventProblems({ type: 'T', data: {}, metadata: { [field]: bad } })).toEqual([
        `metadata.${field} must be a non-empty string of at most 255 characters`,
      ]);
    }
  });

  it('lists every problem at once', () => {
    const problems = publishableEventProblems({
      type: 'a b',
      id: '',
      key: 1,
      metadata: { correlationId: '', version: 2 },
    });

    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^type must be/);
    expect(problems.slice(1)).toEqual([
      'data is required (use null for no payload)',
      'id must be a non-empty string of at most 255 characters',
      'key must be a non-empty string of at most 255 characters',
      'metadata.correlationId must be a non-empty string of at most 255 characters',
      'metadata.version must be a non-empty string of at most 255 characters',
    ]);
  });
});
