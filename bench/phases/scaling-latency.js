'use strict';

const { withTimeout } = require('../lib/clock');
const { awaitArrivals } = require('../lib/group-arrivals');
const { percentiles } = require('../lib/stats');

/**
 * Latency with the configuration's consumer count: the publishers send open-loop at the
 * payload's fixed rate for `latencySeconds` (split between them), each event stamped with the
 * time it was due; latency is the receiving handler's time minus that stamp (one clock for
 * every process of the machine). Every event must arrive, or the phase fails.
 *
 * @param {import('./scaling-end-to-end').ScalingPhaseInput} input
 * @returns {Promise<Record<string, number>>}
 */
async function measureScalingLatency({ group, tag, payload, settings }) {
  const publishers = group.publishers.length;
  const durationMs = settings.latencySeconds * 1000;
  const rate = payload.latencyRate / publishers;
  // Each publisher sends what runOpenLoop makes of its rate; their sequence numbers interleave.
  const count = publishers * Math.round((rate * durationMs) / 1000);
  await group.toConsumers('expect', { tag, count, latencies: true });
  const deadline = Date.now() + durationMs + settings.phaseTimeoutMs;
  const loops = await withTimeout(
    group.toPublishers('openLoop', { tag, rate, durationMs, bytes: payload.bytes }),
    durationMs + settings.phaseTimeoutMs,
    () => `publishing at ${payload.latencyRate} msg/s`,
  );
  const arrivals = await awaitArrivals(group, count, deadline);
  const [p50, p95, p99, max] = percentiles(arrivals.latencies, [50, 95, 99, 100]);
  return {
    p50,
    p95,
    p99,
    max,
    count,
    rate: payload.latencyRate,
    seconds: settings.latencySeconds,
    maxSendLagMs: Math.max(...loops.map((l) => l.maxLagMs)),
    duplicates: arrivals.duplicates,
  };
}

module.exports = { measureScalingLatency };
