import { DecodeFailure } from './decode-failure';
import { parseJsonBody } from './json-body';

/**
 * Whether `value`, as JSON.stringify writes it, holds an own `__proto__` key, or a
 * `constructor` key whose value has a `prototype` key: what consumers' safe JSON parser
 * refuses as prototype pollution, so such an event could never be handled.
 *
 * `encodedBody` is the value's JSON text: without either word in it (the common case) the
 * value is not walked at all. Otherwise the value is walked the way JSON.stringify walks it,
 * rather than the text being parsed back; only a value nested deeper than the walk goes
 * (where JSON.stringify itself copes) is checked with the consumers' own parser.
 */
export function hasPrototypeKeys(value: unknown, encodedBody: Buffer): boolean {
  if (!encodedBody.includes('__proto__') && !encodedBody.includes('constructor')) return false;
  const found = walk(toJsonValue(value, ''), 0);
  return found === TOO_DEEP ? refusedByParser(encodedBody) : found;
}

/** Deeper than this the text is parsed instead of the value walked. */
const MAX_DEPTH = 500;
const TOO_DEEP = Symbol('too deep');

/** Walks a value already in its JSON form (`toJSON` applied). */
function walk(json: unknown, depth: number): boolean | typeof TOO_DEEP {
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (typeof json !== 'object' || json === null) return false;
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) {
      const found = walk(toJsonValue(json[i], String(i)), depth + 1);
      if (found) return found;
    }
    return false;
  }
  for (const name of Object.keys(json)) {
    const child = toJsonValue((json as Record<string, unknown>)[name], name);
    if (!isWritten(child)) continue;
    if (name === '__proto__') return true;
    if (name === 'constructor' && typeof child === 'object' && child !== null && !Array.isArray(child)) {
      const prototype = toJsonValue((child as Record<string, unknown>).prototype, 'prototype');
      if (Object.keys(child).includes('prototype') && isWritten(prototype)) return true;
    }
    const found = walk(child, depth + 1);
    if (found) return found;
  }
  return false;
}

/** What JSON.stringify serialises in place of `value` under `key` (its `toJSON(key)` result, when it has one). */
function toJsonValue(value: unknown, key: string): unknown {
  const toJSON = (value as { toJSON?: unknown } | null | undefined)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(value, key) : value;
}

/** Whether JSON.stringify writes an object member with this value (it drops undefined, functions, symbols). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** What consumers' parser says of the text (it is our own encoding, so a failure means pollution). */
function refusedByParser(body: Buffer): boolean {
  return parseJsonBody(body) instanceof DecodeFailure;
}
