'use strict';

/**
 * What a benchmark run is for. The harness (bench/run.js) builds the library, runs the plans
 * a mode makes, cleans up and writes the mode's report; the mode decides which contenders run
 * in which configurations, which phases they go through, and what the report says.
 *
 * @typedef {object} ReportInput
 * @property {import('../lib/settings').BenchSettings} settings
 * @property {import('../lib/environment').Environment} environment
 * @property {import('../lib/run-contender').Plan[]} plans with their results
 * @property {string[]} failures
 * @property {Date} startedAt
 * @property {number} durationMs
 *
 * @typedef {object} Report
 * @property {string} text printed at the end of the run
 * @property {string} file the report file it rewrites
 * @property {string} markdown that file's new content
 *
 * @typedef {object} BenchMode
 * @property {(settings: import('../lib/settings').BenchSettings) => string} title what the first line calls the run
 * @property {string[]} phases the main worker's phases (the drain follows `backlog`)
 * @property {(settings: import('../lib/settings').BenchSettings) => import('../lib/contenders').ContenderSpec[]} contenders
 * @property {(runId: string, specs: import('../lib/contenders').ContenderSpec[], settings: import('../lib/settings').BenchSettings) => import('../lib/run-contender').Plan[]} plans
 * @property {(input: ReportInput) => Report} report
 */

/**
 * @param {import('../lib/settings').BenchSettings} settings
 * @returns {BenchMode}
 */
function selectMode(settings) {
  return settings.prefetchSweep ? require('./prefetch-sweep') : require('./comparison');
}

module.exports = { selectMode };
