/**
 * Whether `value`, as JSON.stringify would write it, holds an own `__proto__` key, or a
 * `constructor` key whose value has a `prototype` key: what consumers' safe JSON parser
 * refuses as prototype pollution, so such an event could never be handled.
 *
 * `encodedBody` is the value's JSON text: without either word in it (the common case) the
 * value is not walked at all. The value is walked, never the text parsed back.
 */
export function hasPrototypeKeys(value: unknown, encodedBody: Buffer): boolean {
  if (!encodedBody.includes('__proto__') && !encodedBody.includes('constructor')) return false;
  return walk(value, 0);
}

/** Deeper than this the value is refused outright rather than walked further. */
const MAX_DEPTH = 1_000;

function walk(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  const json = toJsonValue(value);
  if (typeof json !== 'object' || json === null) return false;
  if (Array.isArray(json)) return json.some((item) => walk(item, depth + 1));
  for (const key of Object.keys(json)) {
    const child = (json as Record<string, unknown>)[key];
    if (key === '__proto__') return true;
    if (key === 'constructor') {
      const ctor = toJsonValue(child);
      if (typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return true;
    }
    if (walk(child, depth + 1)) return true;
  }
  return false;
}

/** What JSON.stringify serialises in place of `value` (its `toJSON()` result, when it has one). */
function toJsonValue(value: unknown): unknown {
  const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}
