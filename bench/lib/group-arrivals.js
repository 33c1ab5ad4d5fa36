'use strict';

const { sleep } = require('./clock');

/** How often the harness asks the consumers how far they are. */
const POLL_MS = 50;

/**
 * @typedef {object} ConsumerReport what one consumer's `collect` answers
 * @property {number} handled distinct events of the phase it handled
 * @property {number} duplicates deliveries of an event it had handled already
 * @property {number | null} firstAt its first handled event (null: none)
 * @property {number | null} lastAt its latest handled event (null: none)
 * @property {string} seen base64 of its per-sequence-number bitmap (1 = handled)
 * @property {number[]} latencies handled time minus due time, ms (latency phases only)
 *
 * @typedef {object} MergedArrivals
 * @property {number} handled distinct events handled by any consumer
 * @property {number} duplicates deliveries beyond the first of an event, across consumers
 * @property {number} firstAt
 * @property {number} lastAt when the last event of the phase was handled
 * @property {number[]} latencies every consumer's samples together
 * @property {number[]} shares events each consumer handled, in consumer order
 */

/**
 * Adds up what the consumers of a shared queue handled: an event counts once, however many of
 * them got it.
 *
 * @param {ConsumerReport[]} reports
 * @param {number} count events the phase sent
 * @returns {MergedArrivals}
 */
function mergeArrivals(reports, count) {
  const union = new Uint8Array(count);
  let deliveries = 0;
  for (const report of reports) {
    const seen = Buffer.from(report.seen, 'base64');
    for (let i = 0; i < count; i++) union[i] |= seen[i];
    deliveries += report.handled + report.duplicates;
  }
  const handled = union.reduce((sum, bit) => sum + bit, 0);
  const times = (/** @type {'firstAt' | 'lastAt'} */ key) =>
    reports.map((r) => r[key]).filter(/** @returns {t is number} */ (t) => typeof t === 'number' && Number.isFinite(t));
  return {
    handled,
    duplicates: deliveries - handled,
    firstAt: Math.min(...times('firstAt')),
    lastAt: Math.max(...times('lastAt')),
    latencies: reports.flatMap((r) => r.latencies),
    shares: reports.map((r) => r.handled),
  };
}

/**
 * Waits until the consumers of `group` together handled all `count` events of the phase they
 * were told to expect, then returns what they report, merged. Rejects once `deadline` (a
 * `Date.now()` value) passes, saying how many arrived.
 *
 * @param {import('./scaling-group').ScalingGroup} group
 * @param {number} count
 * @param {number} deadline
 * @returns {Promise<MergedArrivals>}
 */
async function awaitArrivals(group, count, deadline) {
  let handled = 0;
  for (;;) {
    const statuses = await group.toConsumers('status');
    handled = statuses.reduce((sum, s) => sum + s.handled, 0);
    if (handled >= count) {
      // Each consumer counts an event once; across consumers only the union tells.
      const merged = mergeArrivals(await group.toConsumers('collect'), count);
      if (merged.handled === count) return merged;
      handled = merged.handled;
    }
    if (Date.now() > deadline) throw new Error(`${handled}/${count} handled`);
    await sleep(POLL_MS);
  }
}

module.exports = { awaitArrivals, mergeArrivals };
