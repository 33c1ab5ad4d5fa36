import type { LoggerService } from '@nestjs/common';

/** Whether tests print what the applications under test log (`TEST_VERBOSE=1 npm test`). */
export const TEST_VERBOSE = /^(1|true|yes)$/i.test(process.env.TEST_VERBOSE ?? '');

/** A logger that keeps every line, for tests that assert on logs. */
export interface CapturingLogger extends LoggerService {
  /** Lines logged so far, `LEVEL message` each. */
  readonly lines: string[];
}

/**
 * The logger of an application under test. Many tests provoke errors on purpose (dead letters,
 * refused logins), so their error lines are kept, not printed: the run's output stays the list
 * of tests. With TEST_VERBOSE set, errors and warnings are printed as well.
 */
export function testLogger(): CapturingLogger {
  const lines: string[] = [];
  const keep =
    (level: string, print?: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      const line = `${level} ${args.filter((a) => a !== undefined).join(' ')}`;
      lines.push(line);
      if (TEST_VERBOSE && print) print(line);
    };
  return {
    lines,
    log: keep('LOG'),
    warn: keep('WARN', console.warn),
    error: keep('ERROR', console.error),
    debug: keep('DEBUG'),
    verbose: keep('VERBOSE'),
  };
}
