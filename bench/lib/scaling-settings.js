'use strict';

/**
 * What the scaling curve (`npm run bench -- --scaling`) measures, on top of the settings every
 * mode shares (broker, Redis, prefetch, publish window, warm-up, number of runs). The counts
 * and rates differ per payload size: a 64 KB event costs the broker and both ends far more
 * than a 300-byte one, and a fixed count would make one size take minutes and another a blink.
 */

/**
 * @typedef {object} ScalingPayload
 * @property {string} id short name used in phase names ("300B")
 * @property {string} label name shown in the report ("300 B")
 * @property {number} bytes size of the JSON-encoded event data
 * @property {number} e2eCount events of the end-to-end phase
 * @property {number} latencyRate open-loop publish rate of the latency phase, msg/s
 *
 * @typedef {object} ScalingFigures
 * @property {readonly number[]} instanceCounts consumer processes per configuration, in table order
 * @property {number} publishers publishing processes (never consuming), whatever the consumer count
 * @property {readonly ScalingPayload[]} payloads in table order
 * @property {number} latencySeconds length of each latency phase
 * @property {number} consumers consumer processes of the plan at hand (set per plan)
 */

/** Consumer instances measured, in table order. */
const INSTANCE_COUNTS = Object.freeze([1, 2, 4]);

/** One publishing process for every configuration, so only the consumer side changes. */
const PUBLISHERS = 1;

/**
 * Sizes and, per size, the end-to-end count (full mode) and the latency phase's rate. The rates
 * are fixed, not derived from a run's throughput, so latencies stay comparable between runs and
 * machines; each is well below what the slowest contender sustains with one consumer at that
 * size (see bench/README.md), so the figure is the path's latency, not a growing queue.
 */
const PAYLOADS = Object.freeze([
  { id: '300B', label: '300 B', bytes: 300, e2eCount: 12_000, latencyRate: 1000 },
  { id: '4KB', label: '4 KB', bytes: 4096, e2eCount: 8000, latencyRate: 1000 },
  { id: '64KB', label: '64 KB', bytes: 65_536, e2eCount: 2000, latencyRate: 200 },
]);

/** Quick mode: these fractions of the full counts and a shorter latency phase. */
const QUICK_COUNT_FRACTION = 0.15;
const LATENCY_SECONDS = Object.freeze({ full: 4, quick: 2 });

/**
 * The scaling figures for a mode.
 *
 * @param {'full' | 'quick'} mode
 * @returns {Omit<ScalingFigures, 'consumers'>}
 */
function scalingFigures(mode) {
  const fraction = mode === 'quick' ? QUICK_COUNT_FRACTION : 1;
  return {
    instanceCounts: INSTANCE_COUNTS,
    publishers: PUBLISHERS,
    payloads: PAYLOADS.map((p) => ({ ...p, e2eCount: Math.round(p.e2eCount * fraction) })),
    latencySeconds: LATENCY_SECONDS[mode],
  };
}

module.exports = { scalingFigures, INSTANCE_COUNTS, PAYLOADS };
