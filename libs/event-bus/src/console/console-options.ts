import type { EventBusConsoleOptions, ResolvedConsoleOptions } from './console-options.interface';
import { InvalidConsoleOptionsError } from './invalid-console-options.error';

/** Largest page the console reads at once: a page is held in memory while it is served. */
export const MAX_PAGE_SIZE = 500;

const DEFAULTS = { path: 'event-bus', pageSize: 50, refreshInterval: 2000, trendWindow: 300_000 } as const;

/** URL path segments Nest's router takes literally: letters, digits and `- _ . ~` between slashes. */
const PATH = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

const isPositiveInteger = (v: unknown, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isInteger(v) && (v as number) > 0 && (v as number) <= max;

/**
 * Checks the console options and fills in defaults.
 *
 * @param env the process environment (`NODE_ENV` decides whether `insecureDevMode` is allowed)
 * @throws InvalidConsoleOptionsError naming every problem
 */
export function resolveConsoleOptions(options: EventBusConsoleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConsoleOptions {
  const problems: string[] = [];
  const path = (options.path ?? DEFAULTS.path).replace(/^\/+|\/+$/g, '');
  if (!PATH.test(path)) problems.push(`path: ${JSON.stringify(options.path)} is not a URL path like 'event-bus' or 'ops/event-bus'`);
  const guarded = options.guard !== undefined && options.guard !== null;
  if (options.insecureDevMode !== undefined && typeof options.insecureDevMode !== 'boolean') {
    problems.push('insecureDevMode: must be true or false');
  }
  if (!guarded && options.insecureDevMode !== true) {
    problems.push(
      'guard: the console can replay and purge dead letters, so it needs a guard (a CanActivate class or instance that lets only operators in); ' +
        'on a developer machine, insecureDevMode: true mounts it without one',
    );
  }
  if (options.insecureDevMode === true && env.NODE_ENV === 'production') {
    problems.push('insecureDevMode: refused because NODE_ENV is production; give the console a guard');
  }
  if (options.pageSize !== undefined && !isPositiveInteger(options.pageSize, MAX_PAGE_SIZE)) {
    problems.push(`pageSize: must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (options.refreshInterval !== undefined && !(isPositiveInteger(options.refreshInterval) && options.refreshInterval >= 250)) {
    problems.push('refreshInterval: must be an integer of milliseconds, 250 or more');
  }
  if (options.trendWindow !== undefined && !(isPositiveInteger(options.trendWindow) && options.trendWindow >= 10_000)) {
    problems.push('trendWindow: must be an integer of milliseconds, 10000 or more');
  }
  if (problems.length > 0) throw new InvalidConsoleOptionsError(problems);
  return {
    path,
    guard: options.guard,
    insecureDevMode: options.insecureDevMode === true,
    pageSize: options.pageSize ?? DEFAULTS.pageSize,
    refreshInterval: options.refreshInterval ?? DEFAULTS.refreshInterval,
    trendWindow: options.trendWindow ?? DEFAULTS.trendWindow,
  };
}
