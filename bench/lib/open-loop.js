'use strict';

const { now } = require('./clock');

/** Timer period of the scheduler; sends are batched to whatever became due since the last tick. */
const TICK_MS = 1;

/**
 * @typedef {object} OpenLoopResult
 * @property {number} sent messages handed to the publisher
 * @property {number} failed publishes that rejected
 * @property {number} maxLagMs worst delay between a message's due time and its send
 */

/**
 * Sends at a fixed rate regardless of how fast the system answers (open loop): message `i`
 * is due at `start + i / rate` and is stamped with that due time, so a publisher or event
 * loop that falls behind is charged for the delay instead of hiding it.
 *
 * @param {{ rate: number, durationMs: number, send: (seq: number, dueAt: number) => Promise<unknown> }} options
 * @returns {Promise<OpenLoopResult>} once every publish has settled
 */
function runOpenLoop({ rate, durationMs, send }) {
  const total = Math.round((rate * durationMs) / 1000);
  const intervalMs = 1000 / rate;
  const start = now();
  /** @type {Promise<unknown>[]} */
  const pending = [];
  let sent = 0;
  let failed = 0;
  let maxLagMs = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const t = now();
      const due = Math.min(total, Math.floor((t - start) / intervalMs) + 1);
      for (; sent < due; sent++) {
        const dueAt = start + sent * intervalMs;
        maxLagMs = Math.max(maxLagMs, t - dueAt);
        pending.push(send(sent, dueAt).catch(() => void failed++));
      }
      if (sent >= total) {
        clearInterval(timer);
        void Promise.all(pending).then(() => resolve({ sent, failed, maxLagMs }));
      }
    }, TICK_MS);
  });
}

module.exports = { runOpenLoop };
