'use strict';

/**
 * The figures of the report: where each comes from, its unit and which direction is better.
 * Both the console table and docs/benchmarks.md are built from this list.
 *
 * @typedef {object} Metric
 * @property {string} key
 * @property {string} label column heading
 * @property {string} phase phase that reports it
 * @property {string} figure field of that phase's figures
 * @property {'higher' | 'lower' | 'none'} better which way is better; 'none': no ratio is shown
 * @property {number} decimals digits after the point when printed
 * @property {number} [scale] divisor applied before printing
 * @property {boolean} [redisOnly] 0 for contenders that do not use Redis
 */

/** @type {readonly Metric[]} */
const METRICS = Object.freeze([
  { key: 'publish', label: 'Publish msg/s', phase: 'publish', figure: 'msgPerSec', better: 'higher', decimals: 0 },
  { key: 'e2e', label: 'End-to-end msg/s', phase: 'e2e', figure: 'msgPerSec', better: 'higher', decimals: 0 },
  { key: 'drain', label: 'Backlog drain msg/s', phase: 'drain', figure: 'drainMsgPerSec', better: 'higher', decimals: 0 },
  {
    key: 'redis',
    label: 'Redis cmds/event',
    phase: 'e2e',
    figure: 'redisServerCallsPerEvent',
    better: 'none',
    decimals: 2,
    redisOnly: true,
  },
  {
    key: 'redisSent',
    label: 'Redis cmds sent/event',
    phase: 'e2e',
    figure: 'redisCommandsSentPerEvent',
    better: 'none',
    decimals: 2,
    redisOnly: true,
  },
  { key: 'p50', label: 'p50 ms', phase: 'latency', figure: 'p50', better: 'lower', decimals: 2 },
  { key: 'p95', label: 'p95 ms', phase: 'latency', figure: 'p95', better: 'lower', decimals: 2 },
  { key: 'p99', label: 'p99 ms', phase: 'latency', figure: 'p99', better: 'lower', decimals: 2 },
  { key: 'rss', label: 'Peak RSS MB', phase: 'drain', figure: 'peakRssBytes', better: 'lower', decimals: 0, scale: 2 ** 20 },
]);

/** How the figures are grouped into tables. */
const TABLES = Object.freeze([
  { title: 'Throughput', keys: ['publish', 'e2e', 'drain', 'redis', 'redisSent'] },
  { title: 'Latency at 1,000 msg/s and memory', keys: ['p50', 'p95', 'p99', 'rss'] },
]);

/**
 * @param {string} key
 * @returns {Metric}
 */
function metric(key) {
  const found = METRICS.find((m) => m.key === key);
  if (!found) throw new Error(`unknown metric ${key}`);
  return found;
}

module.exports = { METRICS, TABLES, metric };
