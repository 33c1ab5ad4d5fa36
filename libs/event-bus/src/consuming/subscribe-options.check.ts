import { checkRetryPolicy, describeValue, NAME_PATTERN, optionalInt, type Problems } from '../options/option-checks';

/** Checks a subscription's own retry/prefetch overrides; same rules as the module options. */
export function subscribeOptionProblems(options: Record<string, unknown>, where: string): string[] {
  const problems: Problems = [];
  checkRetryPolicy(options, `${where}.`, problems);
  optionalInt(options, 'prefetch', `${where}.prefetch`, 1, problems);
  optionalInt(options, 'deadLetterThreshold', `${where}.deadLetterThreshold`, 1, problems);
  if (options.queue !== undefined && (typeof options.queue !== 'string' || !NAME_PATTERN.test(options.queue))) {
    problems.push(`${where}.queue: letters, digits, '.', '_' or '-' (got ${describeValue(options.queue)})`);
  }
  for (const flag of ['durable', 'useCache', 'ordered', 'idempotent'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') problems.push(`${where}.${flag}: must be true or false`);
  }
  if (options.schema !== undefined && typeof options.schema !== 'function') {
    problems.push(`${where}.schema: must be a class`);
  }
  return problems;
}
