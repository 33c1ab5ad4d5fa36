'use strict';

const { benchPayload } = require('../lib/payload');
const { publishWindow } = require('../lib/publish-window');
const { now, withTimeout } = require('../lib/clock');

/**
 * What every phase of the main worker works with.
 *
 * @typedef {object} PhaseContext
 * @property {import('../contenders/index').OpenedContender} contender
 * @property {import('../lib/arrivals').Arrivals} arrivals
 * @property {import('../lib/settings').BenchSettings} settings
 * @property {number} run 1-based run number, part of every phase tag
 * @property {(op: 'purge' | 'redisCalls', args?: Record<string, unknown>) => Promise<unknown>} request asks the harness
 * @property {() => number} redisCommandsSent commands this process's Redis clients have sent so far
 */

/**
 * Tag of a phase's events: unique per run and phase, so nothing left over from an earlier
 * phase (or run, on a reused queue) is ever counted.
 *
 * @param {{ run: number }} ctx
 * @param {string} phase
 * @returns {string}
 */
function phaseTag(ctx, phase) {
  return `r${ctx.run}-${phase}`;
}

/**
 * Publishes `count` events to `target` with the usual window of unconfirmed publishes.
 *
 * @param {PhaseContext} ctx
 * @param {import('../lib/resource-names').Target} target
 * @param {string} tag
 * @param {number} count
 * @returns {Promise<void>}
 */
function publishBurst(ctx, target, tag, count) {
  return publishWindow(count, ctx.settings.inFlight, (seq) => ctx.contender.publish(target, benchPayload(tag, seq, now())));
}

/**
 * Warm-up, excluded from every figure: a few hundred events through the same path as the
 * phase (JIT, connection buffers, broker queue processes), waiting until they were handled
 * when the target has a consumer.
 *
 * @param {PhaseContext} ctx
 * @param {import('../lib/resource-names').Target} target
 * @param {string} phase
 * @returns {Promise<void>}
 */
async function warmUp(ctx, target, phase) {
  const count = ctx.settings.warmup;
  const tag = `${phaseTag(ctx, phase)}-warmup`;
  const expectation = target === 'sink' ? null : ctx.arrivals.expect(tag, count);
  await withTimeout(
    Promise.all([publishBurst(ctx, target, tag, count), expectation?.done]),
    ctx.settings.phaseTimeoutMs,
    () => `warm-up of ${phase}${expectation ? `: ${expectation.handled()}/${count} handled` : ''}`,
  );
}

module.exports = { phaseTag, publishBurst, warmUp };
