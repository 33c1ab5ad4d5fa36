'use strict';

const { summarise } = require('./aggregate');
const { metric } = require('./metrics');
const { formatNumber } = require('./format');

/** The figures of a prefetch sweep, in column order. */
const SWEEP_METRICS = Object.freeze(['e2e', 'drain', 'rss'].map(metric));

/**
 * @typedef {object} SweepRow
 * @property {number} prefetch
 * @property {Record<string, import('./aggregate').Cell>} cells medians by metric key
 *
 * @typedef {object} SweepTable
 * @property {import('./contenders').ContenderSpec} spec
 * @property {SweepRow[]} rows one per prefetch value, ascending
 * @property {SweepRow | undefined} best the row with the highest end-to-end figure
 */

/**
 * Turns a sweep's plans (one per contender and prefetch value) into one table per contender,
 * with the medians of the usual aggregation.
 *
 * @param {import('./run-contender').Plan[]} plans
 * @returns {SweepTable[]} in the order the contenders first appear
 */
function summariseSweep(plans) {
  const summaries = summarise(plans.map((p) => p.results));
  /** @type {Map<string, SweepTable>} */
  const tables = new Map();
  plans.forEach((plan, i) => {
    const table = tables.get(plan.spec.id) ?? { spec: plan.spec, rows: [], best: undefined };
    tables.set(plan.spec.id, table);
    table.rows.push({ prefetch: plan.settings.prefetch, cells: summaries[i].cells });
  });
  for (const table of tables.values()) {
    table.rows.sort((a, b) => a.prefetch - b.prefetch);
    for (const row of table.rows) {
      const value = row.cells.e2e.okRuns > 0 ? row.cells.e2e.value : undefined;
      if (value !== undefined && (!table.best || value > /** @type {number} */ (table.best.cells.e2e.value))) table.best = row;
    }
  }
  return [...tables.values()];
}

/**
 * The line naming a table's best prefetch value.
 *
 * @param {SweepTable} table
 * @returns {string}
 */
function describeBest(table) {
  if (!table.best) return 'Best end-to-end: none measured.';
  return `Best end-to-end: prefetch ${table.best.prefetch} (${formatNumber(table.best.cells.e2e.value, 0)} msg/s).`;
}

module.exports = { SWEEP_METRICS, summariseSweep, describeBest };
