'use strict';

const { writeFileSync } = require('node:fs');

/**
 * Jest reporter that closes every run with one plain line, `N passed, N failed`, which CI
 * reads as the result. A test file that cannot run at all (syntax error, failing import)
 * has no test results of its own, so each such file counts as one failure: otherwise a
 * broken file would look like a clean run.
 *
 * When `TEST_SUMMARY_FILE` names a file, the line is also written there as soon as the run
 * completes, so a wrapper script still has the result if Jest then hangs on open handles.
 */
class SummaryReporter {
  /**
   * @param {{ watch?: boolean, watchAll?: boolean }} globalConfig Jest's global configuration.
   */
  constructor(globalConfig) {
    this.watching = Boolean(globalConfig && (globalConfig.watch || globalConfig.watchAll));
    this.pending = '';
  }

  /**
   * Records the totals once all test files have finished.
   * @param {unknown} _contexts test contexts (unused).
   * @param {{ numPassedTests: number, numFailedTests: number, numRuntimeErrorTestSuites: number }} results aggregated results.
   */
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    if (process.env.TEST_SUMMARY_FILE) {
      writeFileSync(process.env.TEST_SUMMARY_FILE, line);
    }
    if (this.watching) {
      process.stdout.write(line);
      return;
    }
    // Jest always runs its built-in summary reporter after the configured ones, and may add
    // notes of its own later still, so the line is held back until the process exits.
    // Writes to files, pipes and terminals are synchronous on Linux, so nothing is lost.
    if (!this.pending) {
      process.once('exit', () => process.stdout.write(this.pending));
    }
    this.pending = line;
  }
}

module.exports = SummaryReporter;
