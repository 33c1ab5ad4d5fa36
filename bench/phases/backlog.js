'use strict';

const { now, withTimeout } = require('../lib/clock');
const { phaseTag, publishBurst } = require('./context');

/**
 * Fills the backlog queue (no consumer yet) that the draining worker will empty. The
 * contender's own publisher writes it, so the consumer gets its own wire format.
 *
 * @param {import('./context').PhaseContext} ctx
 * @returns {Promise<{ msgPerSec: number, count: number }>}
 */
async function fillBacklog(ctx) {
  const count = ctx.settings.backlogCount;
  await ctx.request('purge', { target: 'backlog' });
  const start = now();
  await withTimeout(
    publishBurst(ctx, 'backlog', phaseTag(ctx, 'backlog'), count),
    ctx.settings.phaseTimeoutMs,
    () => 'filling the backlog',
  );
  return { msgPerSec: count / ((now() - start) / 1000), count };
}

module.exports = { fillBacklog };
