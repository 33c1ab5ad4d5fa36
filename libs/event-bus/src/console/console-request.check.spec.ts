import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { editedBodyOf, pageOf, replayTargetOf, requireConfirmation, requireJsonRequest } from './console-request.check';

const messageOf = (work: () => unknown): string => {
  try {
    work();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('console request checks', () => {
  it('accepts JSON requests only', () => {
    expect(() => requireJsonRequest('application/json; charset=utf-8')).not.toThrow();
    expect(() => requireJsonRequest('text/plain')).toThrow(UnsupportedMediaTypeException);
    expect(() => requireJsonRequest(undefined)).toThrow(UnsupportedMediaTypeException);
  });

  it('reads a page from the query, with the page size as default limit', () => {
    expect(pageOf({}, 50)).toEqual({ offset: 0, limit: 50 });
    expect(pageOf({ offset: '200', limit: '25' }, 50)).toEqual({ offset: 200, limit: 25 });
    expect(messageOf(() => pageOf({ offset: '1.5' }, 50))).toMatch(/^offset must be a whole number/);
    expect(messageOf(() => pageOf({ limit: '0' }, 50))).toBe('limit must be a whole number from 1 to 500');
    expect(() => pageOf({ limit: ['1', '2'] }, 50)).toThrow(BadRequestException);
  });

  it('takes ids (without repeats) or all-with-confirmation as a replay target', () => {
    expect(replayTargetOf({ ids: ['a', 'b', 'a'] })).toEqual({ ids: ['a', 'b'] });
    expect(replayTargetOf({ all: true, confirm: true })).toEqual({ all: true });
    expect(messageOf(() => replayTargetOf({ all: true }))).toBe('Replaying every dead letter needs "confirm": true in the request body');
    expect(messageOf(() => replayTargetOf({ ids: [] }))).toMatch(/"ids" must be a non-empty array/);
    expect(messageOf(() => replayTargetOf({ ids: [1] }))).toMatch(/"ids" must be a non-empty array/);
    expect(messageOf(() => replayTargetOf({ all: true, confirm: true, ids: ['a'] }))).toBe('Send either "ids" or "all", not both');
    expect(messageOf(() => replayTargetOf('everything'))).toMatch(/^Send \{ "ids"/);
  });

  it('wants confirm: true exactly', () => {
    expect(() => requireConfirmation({ confirm: true }, 'Purging')).not.toThrow();
    expect(() => requireConfirmation({ confirm: 'yes' }, 'Purging')).toThrow('Purging needs "confirm": true in the request body');
  });

  it('reads an edited body as text within the size limit, or none', () => {
    expect(editedBodyOf(undefined, 100)).toBeUndefined();
    expect(editedBodyOf({}, 100)).toBeUndefined();
    expect(editedBodyOf({ body: '{"a":1}' }, 100)).toBe('{"a":1}');
    expect(messageOf(() => editedBodyOf({ body: { a: 1 } }, 100))).toMatch(/"body" must be the edited message body as a string/);
    expect(messageOf(() => editedBodyOf({ body: 'x'.repeat(101) }, 100))).toBe(
      '"body" is 101 bytes; the bus accepts messages up to 100 bytes',
    );
  });
});
