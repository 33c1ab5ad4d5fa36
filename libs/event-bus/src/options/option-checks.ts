import { closestMatch } from './edit-distance';
import { redactUrl } from './redact-url';

/**
 * Checks shared by the module's and the subscriptions' option validation: each one pushes a
 * problem naming the field's path, with the value redacted, and never throws.
 */

/** Names usable in queue names and as CloudEvents `source`. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Problems found so far, one line each, `path: what is wrong (got value)`. */
export type Problems = string[];
/** An options object as given, before its shape is known. */
export type Bag = Record<string, unknown>;

/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as problems quote it: strings JSON-quoted with URL passwords masked, objects by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrl(value));
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : String(value);
}

/** `bag[key]` must be a name usable in queue names. */
export function requireName(bag: Bag, key: string, path: string, problems: Problems): void {
  const value = bag[key];
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    problems.push(`${path}: required; letters, digits, '.', '_' or '-' (got ${describeValue(value)})`);
  }
}

/** `bag[key]` must be a URL with one of `schemes`; an unparsable one is shown only up to its scheme. */
export function requireUrl(bag: Bag, key: string, path: string, schemes: string[], problems: Problems): void {
  const value = bag[key];
  const hint = `a ${schemes.map((s) => `${s}//`).join(' or ')} URL`;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`${path}: required; ${hint} (got ${describeValue(value)})`);
    return;
  }
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Unparsable, so the password cannot be located: show nothing past the scheme.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? '';
    problems.push(`${path}: not a valid URL; expected ${hint} (got "${scheme}…")`);
    return;
  }
  if (!schemes.includes(protocol)) problems.push(`${path}: expected ${hint} (got ${describeValue(value)})`);
}

/** `bag[key]`, when given, must be an integer >= `min`. */
export function optionalInt(bag: Bag, key: string, path: string, min: number, problems: Problems): void {
  const value = bag[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    problems.push(`${path}: must be an integer >= ${min} (got ${describeValue(value)})`);
  }
}

/** `bag[key]`, when given, must be one of `allowed`. */
export function optionalOneOf(bag: Bag, key: string, path: string, allowed: readonly unknown[], problems: Problems): void {
  const value = bag[key];
  if (value !== undefined && !allowed.includes(value)) {
    problems.push(`${path}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${describeValue(value)})`);
  }
}

/** `retryCount`, `retryDelay` and `retryBackoff`, module-wide or per subscription. */
export function checkRetryPolicy(bag: Bag, prefix: string, problems: Problems): void {
  optionalInt(bag, 'retryCount', `${prefix}retryCount`, 0, problems);
  optionalInt(bag, 'retryDelay', `${prefix}retryDelay`, 0, problems);
  optionalOneOf(bag, 'retryBackoff', `${prefix}retryBackoff`, ['fixed', 'exponential'], problems);
}

/**
 * The valid keys of one level of options, written as `{ key: true, ... }` so the compiler
 * refuses a list that misses a key of `T` or names one `T` does not have.
 */
export function optionKeys<T>(keys: Record<keyof T & string, true>): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/** An object key as it appears in a problem: bare when it is a plain name, else quoted (URL passwords masked). */
function keyText(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(redactUrl(key));
}

/** How {@link refuseUnknownKeys} words its hints. */
export interface UnknownKeyHints {
  /** Keys that belong elsewhere, with the hint to show instead of a suggestion. */
  misplaced?: Readonly<Record<string, string>>;
  /** Name the suggested key by its full path (default) or alone, when the prefix is long. */
  suggest?: 'path' | 'key';
}

/**
 * One problem per key of `bag` that is not in `known`: `rabbitmq.retryDelayy: unknown option;
 * did you mean rabbitmq.retryDelay?` when a known key is a few edits away, else the list of
 * known keys. `prefix` is the path of `bag` with its trailing dot (`''` at the top level).
 */
export function refuseUnknownKeys(
  bag: Bag,
  known: readonly string[],
  prefix: string,
  problems: Problems,
  { misplaced = {}, suggest = 'path' }: UnknownKeyHints = {},
): void {
  for (const key of Object.keys(bag)) {
    if (known.includes(key)) continue;
    const suggestion = closestMatch(key, known);
    const hint = Object.hasOwn(misplaced, key)
      ? misplaced[key]
      : suggestion !== undefined
        ? `did you mean ${suggest === 'path' ? prefix : ''}${suggestion}?`
        : `known options: ${known.join(', ')}`;
    problems.push(`${prefix}${keyText(key)}: unknown option; ${hint}`);
  }
}
