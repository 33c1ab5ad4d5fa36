'use strict';

const { formatCell, formatNumber, formatRatio } = require('./format');
const { metric } = require('./metrics');
const { textTable } = require('./report-console');

/**
 * A scaling table's heading and rows, as both reports show them.
 *
 * @param {import('./scaling-summary').ScalingTable} table
 * @returns {{ header: string[], rows: string[][] }}
 */
function scalingTableCells(table) {
  return {
    header: [
      'Contender',
      'Consumers',
      'End-to-end msg/s',
      'vs 1 consumer',
      `p99 ms at ${formatNumber(table.payload.latencyRate, 0)} msg/s`,
    ],
    rows: table.rows.map((r) => [
      r.spec.label,
      String(r.consumers),
      formatCell(r.e2e, metric('e2e')),
      r.vsOneConsumer === undefined ? '—' : formatRatio(r.vsOneConsumer),
      formatCell(r.p99, metric('p99')),
    ]),
  };
}

/**
 * The scaling summary as printed at the end of the run: one table per payload size.
 *
 * @param {import('./scaling-summary').ScalingTable[]} tables
 * @returns {string}
 */
function scalingConsoleReport(tables) {
  const parts = [];
  for (const table of tables) {
    const { header, rows } = scalingTableCells(table);
    parts.push(`Payload ${table.payload.label}`, textTable(header, rows), '');
  }
  parts.push('(×) = contender / raw amqplib with as many consumers, same run; "vs 1 consumer" = msg/s / the same contender\'s with one.');
  parts.push('*   = some runs of that figure failed; the median is over the runs that succeeded.', '');
  return parts.join('\n');
}

module.exports = { scalingConsoleReport, scalingTableCells };
