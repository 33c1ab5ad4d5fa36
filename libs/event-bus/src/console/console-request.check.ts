import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { MAX_PAGE_SIZE } from './console-options';

/** Which dead letters a replay request names. */
export type ReplayTarget = { ids: string[] } | { all: true };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A query parameter as a whole number in `[min, max]`, or `fallback` when absent. */
function wholeNumber(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new BadRequestException(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * Refuses a state-changing request whose body is not JSON. Besides keeping the API to one
 * format, this stops cross-site form posts: a browser sends `application/json` to another site
 * only after a CORS preflight the console never answers.
 */
export function requireJsonRequest(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeException('Send the request body as JSON, with content-type: application/json');
  }
}

/** `offset` and `limit` of a dead-letter page (limit defaults to the console's page size). */
export function pageOf(query: Record<string, unknown>, pageSize: number): { offset: number; limit: number } {
  return {
    offset: wholeNumber(query.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: wholeNumber(query.limit, 'limit', pageSize, 1, MAX_PAGE_SIZE),
  };
}

/** `{ ids: [...] }` or `{ all: true, confirm: true }`; anything else is refused with what to send. */
export function replayTargetOf(body: unknown): ReplayTarget {
  if (!isObject(body)) throw new BadRequestException('Send { "ids": ["<event id>", ...] } or { "all": true, "confirm": true }');
  if (body.all === true) {
    if (body.ids !== undefined) throw new BadRequestException('Send either "ids" or "all", not both');
    requireConfirmation(body, 'Replaying every dead letter');
    return { all: true };
  }
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0)) {
    throw new BadRequestException('"ids" must be a non-empty array of event ids (or send { "all": true, "confirm": true })');
  }
  return { ids: [...new Set(ids as string[])] };
}

/** Refuses a destructive request without `"confirm": true`. */
export function requireConfirmation(body: unknown, what: string): void {
  if (!isObject(body) || body.confirm !== true) throw new BadRequestException(`${what} needs "confirm": true in the request body`);
}

/** The edited body of an edit-and-replay request (`{ "body": "<JSON text>" }`), or `undefined` for a plain replay. */
export function editedBodyOf(body: unknown, maxBytes: number): string | undefined {
  if (body === undefined || (isObject(body) && body.body === undefined)) return undefined;
  if (!isObject(body) || typeof body.body !== 'string') {
    throw new BadRequestException('"body" must be the edited message body as a string of JSON text');
  }
  const bytes = Buffer.byteLength(body.body, 'utf8');
  if (bytes > maxBytes) throw new BadRequestException(`"body" is ${bytes} bytes; the bus accepts messages up to ${maxBytes} bytes`);
  return body.body;
}
