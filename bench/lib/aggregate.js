'use strict';

const { METRICS } = require('./metrics');
const { median, ratio } = require('./stats');
const { BASELINE_ID } = require('./contenders');

/**
 * @typedef {import('./fork-worker').PhaseOutcome} PhaseOutcome
 *
 * @typedef {object} ContenderResults
 * @property {import('./contenders').ContenderSpec} spec
 * @property {Array<Record<string, PhaseOutcome>>} runs phase outcomes of each run
 * @property {number | undefined} bodyBytes size of one message body on the wire
 * @property {number[]} loads the machine's 1-minute load average when each run of it started
 *
 * @typedef {object} Cell
 * @property {number | undefined} value median over the runs that succeeded (scaled for printing)
 * @property {number | undefined} ratio value / baseline value (undefined when not meaningful)
 * @property {number} okRuns
 * @property {number} failedRuns
 *
 * @typedef {object} Summary
 * @property {import('./contenders').ContenderSpec} spec
 * @property {Record<string, Cell>} cells by metric key
 * @property {number | undefined} redisBackground most commands/event the server counted in a run whose contender sent Redis nothing (other clients' traffic)
 * @property {number | undefined} bodyBytes
 */

/**
 * Median of one figure over the runs in which its phase succeeded.
 *
 * @param {ContenderResults} results
 * @param {string} phase
 * @param {string} figure
 * @returns {{ value: number | undefined, okRuns: number, failedRuns: number }}
 */
function medianFigure(results, phase, figure) {
  const values = [];
  let failedRuns = 0;
  for (const run of results.runs) {
    const outcome = run[phase];
    if (outcome?.ok && Number.isFinite(outcome.figures[figure])) values.push(outcome.figures[figure]);
    else failedRuns++;
  }
  return { value: median(values), okRuns: values.length, failedRuns };
}

/**
 * What other clients of a shared Redis sent while this contender sent it nothing: the
 * server's count in end-to-end phases whose contender sent no command (the worst run).
 *
 * @param {ContenderResults} results
 * @returns {number | undefined}
 */
function redisBackground(results) {
  const quiet = results.runs
    .map((run) => run.e2e)
    .filter(
      (outcome) =>
        outcome?.ok && outcome.figures.redisCommandsSentPerEvent === 0 && Number.isFinite(outcome.figures.redisServerCallsPerEvent),
    )
    .map((outcome) => /** @type {{ figures: Record<string, number> }} */ (outcome).figures.redisServerCallsPerEvent);
  return quiet.length > 0 ? Math.max(...quiet) : undefined;
}

/**
 * Turns every contender's runs into one row of medians, with ratios to the baseline's
 * medians from the same benchmark run.
 *
 * @param {ContenderResults[]} all
 * @returns {Summary[]}
 */
function summarise(all) {
  const rows = all.map((results) => {
    /** @type {Record<string, Cell>} */
    const cells = {};
    for (const m of METRICS) {
      const found = medianFigure(results, m.phase, m.figure);
      const scaled = found.value === undefined ? undefined : found.value / (m.scale ?? 1);
      // A contender without Redis sends it nothing; what the server counted came from other clients.
      const value = m.redisOnly && !results.spec.usesRedis && found.okRuns > 0 ? 0 : scaled;
      cells[m.key] = { value, ratio: undefined, okRuns: found.okRuns, failedRuns: found.failedRuns };
    }
    return { spec: results.spec, cells, redisBackground: redisBackground(results), bodyBytes: results.bodyBytes };
  });
  const baseline = rows.find((r) => r.spec.id === BASELINE_ID);
  for (const row of rows) {
    for (const m of METRICS) {
      if (m.better === 'none') continue;
      row.cells[m.key].ratio = ratio(row.cells[m.key].value, baseline?.cells[m.key].value);
    }
  }
  return rows;
}

module.exports = { summarise };
