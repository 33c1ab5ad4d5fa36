'use strict';

/**
 * A number for a table: thousands separated, fixed decimals, '—' when missing.
 *
 * @param {number | undefined} value
 * @param {number} decimals
 * @returns {string}
 */
function formatNumber(value, decimals) {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * @param {number | undefined} r
 * @returns {string}
 */
function formatRatio(r) {
  return r === undefined ? '' : `${r.toFixed(2)}×`;
}

/**
 * One table cell: the median, its ratio to the baseline, 'failed' when no run produced it,
 * and a '*' when only some runs did.
 *
 * @param {import('./aggregate').Cell} cell
 * @param {import('./metrics').Metric} metric
 * @returns {string}
 */
function formatCell(cell, metric) {
  if (cell.okRuns === 0) return 'failed';
  const ratioText = formatRatio(cell.ratio);
  const partial = cell.failedRuns > 0 ? '*' : '';
  return `${formatNumber(cell.value, metric.decimals)}${ratioText ? ` (${ratioText})` : ''}${partial}`;
}

/**
 * @param {number} ms
 * @returns {string} e.g. "1 min 23 s"
 */
function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

module.exports = { formatNumber, formatRatio, formatCell, formatDuration };
