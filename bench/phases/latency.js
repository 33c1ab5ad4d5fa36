'use strict';

const { benchPayload } = require('../lib/payload');
const { runOpenLoop } = require('../lib/open-loop');
const { percentiles } = require('../lib/stats');
const { withTimeout } = require('../lib/clock');
const { phaseTag, warmUp } = require('./context');

/**
 * Latency at a fixed load: events published open-loop at `latencyRate` msg/s for
 * `latencySeconds`, each stamped with its due time; latency = handler call time minus that
 * stamp. Every event must arrive, or the phase fails.
 *
 * @param {import('./context').PhaseContext} ctx
 */
async function measureLatency(ctx) {
  const { latencyRate: rate, latencySeconds, phaseTimeoutMs } = ctx.settings;
  await warmUp(ctx, 'events', 'latency');
  const tag = phaseTag(ctx, 'latency');
  const total = Math.round(rate * latencySeconds);
  const expectation = ctx.arrivals.expect(tag, total, { latencies: true });

  const loop = await runOpenLoop({
    rate,
    durationMs: latencySeconds * 1000,
    send: (seq, dueAt) => ctx.contender.publish('events', benchPayload(tag, seq, dueAt)),
  });
  if (loop.failed > 0) throw new Error(`${loop.failed} of ${loop.sent} publishes failed`);
  await withTimeout(expectation.done, phaseTimeoutMs, () => `${expectation.handled()}/${total} handled`);

  const samples = /** @type {Float64Array} */ (expectation.latencies);
  const [p50, p95, p99, max] = percentiles(samples, [50, 95, 99, 100]);
  return {
    p50,
    p95,
    p99,
    max,
    count: total,
    rate,
    seconds: latencySeconds,
    maxSendLagMs: loop.maxLagMs,
    duplicates: expectation.duplicates(),
  };
}

module.exports = { measureLatency };
