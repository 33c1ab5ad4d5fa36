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
 * One run's figure, for the tables of every run: '—' when its phase did not run, 'failed'
 * when it failed, 0 for a Redis figure of a contender without Redis.
 *
 * @param {import('./fork-worker').PhaseOutcome | undefined} outcome that run's outcome of the metric's phase
 * @param {import('./metrics').Metric} metric
 * @param {boolean} usesRedis whether the contender talks to Redis
 * @returns {string}
 */
function formatRunFigure(outcome, metric, usesRedis) {
  if (!outcome) return '—';
  if (!outcome.ok) return 'failed';
  const v = outcome.figures[metric.figure];
  return metric.redisOnly && !usesRedis ? '0' : formatNumber(v === undefined ? undefined : v / (metric.scale ?? 1), metric.decimals);
}

/**
 * @param {Date} date
 * @returns {string} e.g. "2026-11-28 01:22" (UTC)
 */
function formatTimestamp(date) {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * @param {number} ms
 * @returns {string} e.g. "1 min 23 s"
 */
function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

module.exports = { formatNumber, formatRatio, formatCell, formatRunFigure, formatTimestamp, formatDuration };
