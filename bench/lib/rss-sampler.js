'use strict';

/**
 * Samples this process's resident set size on a timer and keeps the peak. Started before
 * anything else is loaded, so module loading and bootstrap count like any other memory.
 *
 * @param {number} intervalMs
 * @returns {{ peak: () => number, current: () => number, stop: () => number }} sizes in bytes; `stop` takes a last sample and returns the peak
 */
function startRssSampler(intervalMs) {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    return rss;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peak: () => peak,
    current: sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

module.exports = { startRssSampler };
