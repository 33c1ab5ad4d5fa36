'use strict';

/**
 * Publishes `count` messages keeping exactly `inFlight` unconfirmed at a time: each of
 * `inFlight` lanes sends its next message as soon as its previous one is confirmed. The
 * first failure stops every lane and rejects.
 *
 * @param {number} count messages to publish
 * @param {number} inFlight messages awaiting their confirm at once
 * @param {(seq: number) => Promise<unknown>} publishOne sends message `seq`, resolves on its confirm
 * @returns {Promise<void>}
 */
async function publishWindow(count, inFlight, publishOne) {
  let next = 0;
  let failed = false;
  async function lane() {
    while (!failed && next < count) {
      const seq = next++;
      try {
        await publishOne(seq);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
}

module.exports = { publishWindow };
