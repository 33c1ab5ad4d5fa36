'use strict';

const { withTimeout } = require('../lib/clock');
const { awaitArrivals } = require('../lib/group-arrivals');

/**
 * @typedef {object} ScalingPhaseInput
 * @property {import('../lib/scaling-group').ScalingGroup} group the configuration's processes, open
 * @property {string} tag the phase's events carry it (unique per run, payload and phase)
 * @property {import('../lib/scaling-settings').ScalingPayload} payload
 * @property {import('../lib/run-scaling-plan').ScalingSettings} settings
 */

/**
 * Sends `count` events through the configuration: the consumers are told what to expect, the
 * publishers publish their shares with the usual window of unconfirmed publishes (split
 * between them), and the phase ends when every event reached a handler.
 *
 * @param {ScalingPhaseInput} input
 * @param {number} count
 * @returns {Promise<{ startedAt: number, arrivals: import('../lib/group-arrivals').MergedArrivals }>}
 */
async function sendThrough({ group, tag, payload, settings }, count) {
  await group.toConsumers('expect', { tag, count, latencies: false });
  const deadline = Date.now() + settings.phaseTimeoutMs;
  const inFlight = Math.max(1, Math.round(settings.inFlight / group.publishers.length));
  const bursts = await withTimeout(
    group.toPublishers('burst', { tag, count, bytes: payload.bytes, inFlight }),
    settings.phaseTimeoutMs,
    () => `publishing ${count} events`,
  );
  const arrivals = await awaitArrivals(group, count, deadline);
  return { startedAt: Math.min(...bursts.map((b) => b.startedAt)), arrivals };
}

/**
 * End-to-end throughput with the configuration's consumer count: after a warm-up (left out),
 * `payload.e2eCount` events from the publishers to the consumers; msg/s from the first publish
 * until the last event reached a handler, in whichever consumer.
 *
 * @param {ScalingPhaseInput} input
 * @returns {Promise<Record<string, number>>}
 */
async function measureScalingEndToEnd(input) {
  await sendThrough({ ...input, tag: `${input.tag}-warmup` }, input.settings.warmup);
  const count = input.payload.e2eCount;
  const { startedAt, arrivals } = await sendThrough(input, count);
  const seconds = (arrivals.lastAt - startedAt) / 1000;
  return {
    msgPerSec: count / seconds,
    seconds,
    count,
    duplicates: arrivals.duplicates,
    // How evenly the queue spread the events: the busiest consumer's share (1 / consumers is even).
    busiestShare: Math.max(...arrivals.shares) / count,
  };
}

module.exports = { measureScalingEndToEnd };
