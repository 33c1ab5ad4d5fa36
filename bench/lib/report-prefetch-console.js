'use strict';

const { SWEEP_METRICS, describeBest } = require('./prefetch-summary');
const { formatCell } = require('./format');
const { textTable } = require('./report-console');

/**
 * A prefetch sweep's summary as printed at the end of the run: one table per contender.
 *
 * @param {import('./prefetch-summary').SweepTable[]} tables
 * @returns {string}
 */
function sweepConsoleReport(tables) {
  const parts = [];
  for (const table of tables) {
    parts.push(
      table.spec.label,
      textTable(
        ['Prefetch', ...SWEEP_METRICS.map((m) => m.label)],
        table.rows.map((r) => [String(r.prefetch), ...SWEEP_METRICS.map((m) => formatCell(r.cells[m.key], m))]),
      ),
      describeBest(table),
      '',
    );
  }
  parts.push('*   = some runs of that figure failed; the median is over the runs that succeeded.', '');
  return parts.join('\n');
}

module.exports = { sweepConsoleReport };
