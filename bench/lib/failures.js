'use strict';

/**
 * Every failed phase of every run, for the console and the report.
 *
 * @param {import('./run-contender').Plan[]} plans
 * @param {string[]} phases the phases the run measured, in order
 * @returns {string[]} one line per failed phase of a run
 */
function listFailures(plans, phases) {
  /** @type {string[]} */
  const lines = [];
  for (const plan of plans) {
    plan.results.runs.forEach((run, i) => {
      for (const phase of phases) {
        const outcome = run[phase];
        if (outcome && !outcome.ok) lines.push(`${plan.label}, run ${i + 1}, ${phase}: ${outcome.error}`);
      }
    });
  }
  return lines;
}

module.exports = { listFailures };
