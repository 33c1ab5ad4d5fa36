'use strict';

const { now, withTimeout } = require('../lib/clock');
const { phaseTag, publishBurst, warmUp } = require('./context');

/**
 * Publish throughput: `publishCount` events into a bound queue nobody consumes, 500 awaiting
 * their confirm at a time; msg/s from the first publish until the last confirm.
 *
 * @param {import('./context').PhaseContext} ctx
 * @returns {Promise<{ msgPerSec: number, seconds: number, count: number }>}
 */
async function measurePublish(ctx) {
  const count = ctx.settings.publishCount;
  await warmUp(ctx, 'sink', 'publish');
  await ctx.request('purge', { target: 'sink' });
  const start = now();
  await withTimeout(publishBurst(ctx, 'sink', phaseTag(ctx, 'publish'), count), ctx.settings.phaseTimeoutMs, () => 'publishing');
  const seconds = (now() - start) / 1000;
  await ctx.request('purge', { target: 'sink' });
  return { msgPerSec: count / seconds, seconds, count };
}

module.exports = { measurePublish };
