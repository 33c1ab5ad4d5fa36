'use strict';

const { TABLES, metric } = require('./metrics');
const { wireFormatComparison } = require('./wire-format-comparison');
const { formatCell } = require('./format');

/**
 * Lays out rows as a fixed-width text table.
 *
 * @param {string[]} header
 * @param {string[][]} rows
 * @returns {string}
 */
function textTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (/** @type {string[]} */ cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The summary as printed at the end of a run.
 *
 * @param {import('./aggregate').Summary[]} rows
 * @param {import('./targets').TargetCheck[]} targets
 * @returns {string}
 */
function consoleReport(rows, targets) {
  const parts = [];
  for (const table of TABLES) {
    const metrics = table.keys.map(metric);
    parts.push(
      `${table.title}`,
      textTable(
        ['Contender', ...metrics.map((m) => m.label)],
        rows.map((r) => [r.spec.label, ...metrics.map((m) => formatCell(r.cells[m.key], m))]),
      ),
      '',
    );
  }
  parts.push('(×) = contender / raw amqplib, same run: higher is better for msg/s, lower is better for latency and RSS.');
  parts.push('*   = some runs of that figure failed; the median is over the runs that succeeded.', '');
  if (targets.length > 0) {
    parts.push(
      'Targets',
      textTable(
        ['Target', 'Measured', 'Verdict'],
        targets.map((t) => [t.target, t.measured, t.verdict]),
      ),
      '',
    );
  }
  const sameFormat = wireFormatComparison(rows);
  if (sameFormat.length > 0) {
    parts.push(
      'Library / raw amqplib sending the same wire format',
      textTable(
        ['Contender', 'Publish', 'End-to-end', 'Backlog drain'],
        sameFormat.map((r) => [r.label, ...r.cells]),
      ),
      '',
    );
  }
  return parts.join('\n');
}

module.exports = { consoleReport, textTable };
