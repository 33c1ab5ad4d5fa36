'use strict';

const { formatNumber } = require('./format');

/**
 * One line summing up a phase as it finishes, so a long run shows where it is.
 *
 * @param {string} phase
 * @param {import('./fork-worker').PhaseOutcome} outcome
 * @returns {string}
 */
function describePhase(phase, outcome) {
  if (!outcome.ok) return `FAILED: ${outcome.error}`;
  const f = outcome.figures;
  const n = (/** @type {number} */ v, d = 0) => formatNumber(v, d);
  switch (phase) {
    case 'publish':
      return `${n(f.msgPerSec)} msg/s`;
    case 'e2e':
      return `${n(f.msgPerSec)} msg/s, Redis ${n(f.redisServerCallsPerEvent, 2)} cmds/event (${n(f.redisCommandsSentPerEvent, 2)} sent)`;
    case 'latency':
      return `p50 ${n(f.p50, 2)} ms, p95 ${n(f.p95, 2)} ms, p99 ${n(f.p99, 2)} ms, max ${n(f.max, 1)} ms`;
    case 'backlog':
      return `${n(f.count)} events queued at ${n(f.msgPerSec)} msg/s`;
    case 'drain':
      return `peak RSS ${n(f.peakRssBytes / 2 ** 20)} MB, drained at ${n(f.drainMsgPerSec)} msg/s`;
    default:
      return JSON.stringify(f);
  }
}

module.exports = { describePhase };
