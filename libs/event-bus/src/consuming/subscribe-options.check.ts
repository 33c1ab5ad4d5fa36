import type { SubscribeOptions } from '../interfaces/subscribe-options.interface';
import {
  checkRetryPolicy,
  describeValue,
  NAME_PATTERN,
  optionalInt,
  optionKeys,
  type Problems,
  refuseUnknownKeys,
} from '../options/option-checks';

/** The valid keys of `SubscribeOptions`; any other key is refused as a likely misspelling. */
const SUBSCRIBE_OPTION_KEYS = optionKeys<SubscribeOptions>({
  retryCount: true,
  retryDelay: true,
  retryBackoff: true,
  durable: true,
  useCache: true,
  queue: true,
  prefetch: true,
  ordered: true,
  partitions: true,
  schema: true,
  idempotent: true,
  deadLetterThreshold: true,
  inbox: true,
});

/** Largest `partitions` of an `ordered: 'byKey'` subscription (each is a queue and a channel). */
export const MAX_PARTITIONS = 256;

export { DEFAULT_PARTITIONS } from '../topology/consumed-queues';

/** `ordered` is a flag or `'byKey'`; `partitions` goes with `'byKey'` only, on a durable queue. */
function orderingProblems(options: Record<string, unknown>, where: string): string[] {
  const { ordered, partitions } = options;
  if (ordered !== undefined && typeof ordered !== 'boolean' && ordered !== 'byKey') {
    return [`${where}.ordered: must be true, false or 'byKey' (got ${describeValue(ordered)})`];
  }
  const problems: string[] = [];
  if (partitions !== undefined) {
    if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
      problems.push(`${where}.partitions: must be an integer from 1 to ${MAX_PARTITIONS} (got ${describeValue(partitions)})`);
    } else if (ordered !== 'byKey') {
      problems.push(`${where}.partitions: only with ordered: 'byKey' (got ordered: ${describeValue(ordered)})`);
    }
  }
  if (ordered !== 'byKey') return problems;
  if (options.durable === false) {
    problems.push(`${where}.ordered: 'byKey' needs a durable queue shared by the instances; drop durable: false`);
  }
  if (options.useCache === true) {
    problems.push(`${where}.useCache: not with ordered: 'byKey' (cached events would bypass the partitions)`);
  }
  return problems;
}

/**
 * Checks a subscription's own retry/prefetch overrides; same rules as the module options.
 * A key `SubscribeOptions` does not have is a problem too, with the closest valid key when
 * one is near (`<where>.prefetchh: unknown option; did you mean prefetch?`).
 */
export function subscribeOptionProblems(options: Record<string, unknown>, where: string): string[] {
  const problems: Problems = [];
  checkRetryPolicy(options, `${where}.`, problems);
  optionalInt(options, 'prefetch', `${where}.prefetch`, 1, problems);
  optionalInt(options, 'deadLetterThreshold', `${where}.deadLetterThreshold`, 1, problems);
  if (options.queue !== undefined && (typeof options.queue !== 'string' || !NAME_PATTERN.test(options.queue))) {
    problems.push(`${where}.queue: letters, digits, '.', '_' or '-' (got ${describeValue(options.queue)})`);
  }
  for (const flag of ['durable', 'useCache', 'idempotent', 'inbox'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') problems.push(`${where}.${flag}: must be true or false`);
  }
  problems.push(...orderingProblems(options, where));
  if (options.inbox === true && options.idempotent === true) {
    problems.push(`${where}.idempotent: the inbox (inbox: true) already runs the handler once per event; drop idempotent: true`);
  }
  if (options.schema !== undefined && typeof options.schema !== 'function') {
    problems.push(`${where}.schema: must be a class`);
  }
  // `where` names the handler (`@OnEvent(T) on Class.method`): the suggestion is the key alone.
  refuseUnknownKeys(options, SUBSCRIBE_OPTION_KEYS, `${where}.`, problems, { suggest: 'key' });
  return problems;
}
