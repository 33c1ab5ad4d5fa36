'use strict';

/**
 * What a benchmark run measures and with which sizes. Quick mode shrinks every count so a
 * whole run fits in about a minute; the full mode takes the median of three runs.
 */

/** Figures shared by every mode and every contender, so the comparison stays like for like. */
const COMMON = Object.freeze({
  amqpUrl: process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  /** Publishes waiting for their confirm at once (every contender, every phase but latency). */
  inFlight: 500,
  /** Unacked messages per consumer (the prefetch sweep varies it). */
  prefetch: /** @type {number} */ (100),
  /** Round trips before each timed phase, excluded from its figures. */
  warmup: 300,
  /** Open-loop publish rate of the latency phase. */
  latencyRate: 1000,
  /** How often the draining consumer samples its resident set size. */
  rssSampleMs: 100,
});

const MODES = Object.freeze({
  full: { runs: 3, publishCount: 50_000, e2eCount: 50_000, latencySeconds: 30, backlogCount: 100_000, phaseTimeoutMs: 300_000 },
  quick: { runs: 1, publishCount: 5_000, e2eCount: 5_000, latencySeconds: 5, backlogCount: 10_000, phaseTimeoutMs: 45_000 },
});

/**
 * @typedef {typeof COMMON & typeof MODES.full & { mode: 'full' | 'quick', only: string[] | null, build: boolean, prefetchSweep: boolean }} BenchSettings
 */

/**
 * Reads the command line: `--quick`, `--only id,id` (a subset of contenders, for trying
 * things out), `--no-build` (use the library's existing build) and `--prefetch-sweep`
 * (measure nestjs-event-bus at several prefetch values instead of comparing libraries).
 *
 * @param {string[]} argv arguments after the script name
 * @returns {BenchSettings}
 */
function parseSettings(argv) {
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 && argv[onlyIndex + 1] ? argv[onlyIndex + 1].split(',').map((s) => s.trim()) : null;
  const known = new Set(['--quick', '--only', '--no-build', '--prefetch-sweep']);
  const unknown = argv.filter((a, i) => !known.has(a) && !(onlyIndex >= 0 && i === onlyIndex + 1));
  if (unknown.length > 0)
    throw new Error(`Unknown argument(s): ${unknown.join(' ')} (use --quick, --only id,id, --no-build, --prefetch-sweep)`);
  const mode = quick ? 'quick' : 'full';
  return { ...COMMON, ...MODES[mode], mode, only, build: !argv.includes('--no-build'), prefetchSweep: argv.includes('--prefetch-sweep') };
}

module.exports = { parseSettings, COMMON, MODES };
