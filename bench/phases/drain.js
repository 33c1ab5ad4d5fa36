'use strict';

const { openContender } = require('../contenders/index');
const { withTimeout } = require('../lib/clock');
const { phaseTag } = require('./context');

/**
 * Memory while draining: the consumer starts on a queue already holding `backlogCount`
 * events and handles them all; the figure is the peak RSS this process reached (sampled
 * every 100 ms from its start). Also reports the drain rate, first to last handled event.
 *
 * @param {object} options
 * @param {import('../lib/contenders').ContenderSpec} options.spec
 * @param {import('../contenders/index').OpenOptions} options.open
 * @param {import('../lib/arrivals').Arrivals} options.arrivals
 * @param {{ peak: () => number, current: () => number, stop: () => number }} options.sampler
 * @param {number} options.run
 * @returns {Promise<{ figures: Record<string, number>, contender: import('../contenders/index').OpenedContender }>}
 */
async function measureDrain({ spec, open, arrivals, sampler, run }) {
  const { backlogCount: count, phaseTimeoutMs } = open.settings;
  const beforeOpenRss = sampler.current();
  const expectation = arrivals.expect(phaseTag({ run }, 'backlog'), count);
  const contender = await withTimeout(openContender(spec.module, open), phaseTimeoutMs, () => 'starting the consumer');
  const readyRss = sampler.current();
  await withTimeout(expectation.done, phaseTimeoutMs, () => `${expectation.handled()}/${count} handled`);
  const peakRss = sampler.stop();
  return {
    contender,
    figures: {
      peakRssBytes: peakRss,
      readyRssBytes: readyRss,
      beforeOpenRssBytes: beforeOpenRss,
      drainMsgPerSec: count / ((expectation.lastAt() - expectation.firstAt()) / 1000),
      count,
      duplicates: expectation.duplicates(),
    },
  };
}

module.exports = { measureDrain };
