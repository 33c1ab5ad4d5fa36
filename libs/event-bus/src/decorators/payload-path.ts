/**
 * Parses the property path of `@EventPayload('a.b')`: names separated by dots, an array
 * index written as a number (`items.0.sku`). Refused at decoration time when malformed, so
 * a typo fails where it is written rather than yielding `undefined` for every event.
 */
export function parsePayloadPath(path: string): string[] {
  const segments = path.split('.');
  if (path.length === 0 || segments.some((s) => s.length === 0)) {
    throw new Error(`@EventPayload(${JSON.stringify(path)}): a property path is names separated by single dots, e.g. 'user.email'`);
  }
  return segments;
}

/**
 * The value at `segments` inside `value`; `undefined` as soon as a step is missing or is not
 * an object. Only own properties are followed, so a path can never reach a prototype
 * (`constructor`, `__proto__`) of the payload.
 */
export function valueAtPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
