'use strict';

const { BASELINE_ID } = require('./contenders');
const { median, ratio } = require('./stats');

/**
 * @typedef {object} ScalingRow one contender with one consumer count, at one payload size
 * @property {number} consumers
 * @property {import('./contenders').ContenderSpec} spec
 * @property {import('./aggregate').Cell} e2e end-to-end msg/s, ratio to raw amqplib with as many consumers
 * @property {number | undefined} vsOneConsumer end-to-end msg/s divided by the same contender's with one consumer
 * @property {import('./aggregate').Cell} p99 ms, ratio to raw amqplib with as many consumers
 *
 * @typedef {object} ScalingTable
 * @property {import('./scaling-settings').ScalingPayload} payload
 * @property {ScalingRow[]} rows by consumer count, then in the contenders' table order
 */

/**
 * Median of one figure of one phase over a plan's runs, as a table cell (ratio filled in later).
 *
 * @param {import('./run-contender').Plan} plan
 * @param {string} phase
 * @param {string} figure
 * @returns {import('./aggregate').Cell}
 */
function medianCell(plan, phase, figure) {
  const values = [];
  let failedRuns = 0;
  for (const run of plan.results.runs) {
    const outcome = run[phase];
    if (outcome?.ok && Number.isFinite(outcome.figures[figure])) values.push(outcome.figures[figure]);
    else failedRuns++;
  }
  return { value: median(values), ratio: undefined, okRuns: values.length, failedRuns };
}

/**
 * One table per payload size: the medians of every configuration, their ratios to raw amqplib
 * with the same number of consumers (same benchmark run), and each contender's end-to-end
 * figure relative to its own with one consumer.
 *
 * @param {import('./run-contender').Plan[]} plans one per contender and consumer count
 * @param {readonly import('./scaling-settings').ScalingPayload[]} payloads
 * @returns {ScalingTable[]}
 */
function summariseScaling(plans, payloads) {
  const consumersOf = (/** @type {import('./run-contender').Plan} */ plan) =>
    /** @type {import('./run-scaling-plan').ScalingSettings} */ (plan.settings).consumers;
  const ordered = [...plans].sort((a, b) => consumersOf(a) - consumersOf(b));
  return payloads.map((payload) => {
    const rows = ordered.map((plan) => ({
      consumers: consumersOf(plan),
      spec: plan.spec,
      e2e: medianCell(plan, `e2e-${payload.id}`, 'msgPerSec'),
      vsOneConsumer: /** @type {number | undefined} */ (undefined),
      p99: medianCell(plan, `latency-${payload.id}`, 'p99'),
    }));
    for (const row of rows) {
      const baseline = rows.find((r) => r.consumers === row.consumers && r.spec.id === BASELINE_ID);
      const single = rows.find((r) => r.consumers === 1 && r.spec.id === row.spec.id);
      row.e2e.ratio = ratio(row.e2e.value, baseline?.e2e.value);
      row.p99.ratio = ratio(row.p99.value, baseline?.p99.value);
      row.vsOneConsumer = ratio(row.e2e.value, single?.e2e.value);
    }
    return { payload, rows };
  });
}

module.exports = { summariseScaling };
