'use strict';

/**
 * Median of the numbers given (undefined for none).
 *
 * @param {number[]} values
 * @returns {number | undefined}
 */
function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Percentiles by the nearest-rank method.
 *
 * @param {Float64Array | number[]} samples
 * @param {number[]} ps percentiles in (0, 100]
 * @returns {number[]} one value per percentile, NaN without samples
 */
function percentiles(samples, ps) {
  const sorted = Float64Array.from(samples).sort();
  return ps.map((p) => {
    if (sorted.length === 0) return NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  });
}

/**
 * contender / baseline, or undefined when either is missing or the baseline is zero.
 *
 * @param {number | undefined} value
 * @param {number | undefined} baseline
 * @returns {number | undefined}
 */
function ratio(value, baseline) {
  if (value === undefined || baseline === undefined || !Number.isFinite(value) || !(baseline > 0)) return undefined;
  return value / baseline;
}

module.exports = { median, percentiles, ratio };
