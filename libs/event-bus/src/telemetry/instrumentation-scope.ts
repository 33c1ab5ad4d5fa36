import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Instrumentation scope name of every tracer and meter of this library. */
export const INSTRUMENTATION_NAME = 'nestjs-event-bus';

/**
 * The library's version, read once from its package.json: two folders up from both `src/telemetry`
 * and `dist/telemetry`. Undefined if it cannot be read (the scope then carries no version).
 */
export const INSTRUMENTATION_VERSION: string | undefined = (() => {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    return pkg.name === INSTRUMENTATION_NAME ? pkg.version : undefined;
  } catch {
    return undefined;
  }
})();
