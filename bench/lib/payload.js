'use strict';

/**
 * The one event every contender sends: a ~300-byte JSON object shaped like a user-sign-up
 * event. `tag` names the phase (so stragglers of an earlier phase are never counted),
 * `seq` its position, `sentAt` the time it was due to be sent (ms, same clock as `now()`).
 */

/** Target size of the JSON-encoded event data, in bytes. */
const PAYLOAD_BYTES = 300;

const FIXED = Object.freeze({
  userId: 'usr_5f3e4a359a523c1f',
  email: 'new.user@example.com',
  role: 'STUDENT',
  plan: 'monthly',
  locale: 'de-DE',
  country: 'DE',
  marketingOptIn: true,
  referrer: 'https://example.com/campaign/spring',
});

/** Padding computed once from a typical event, so building an event costs no extra encoding. */
const NOTE = (() => {
  const sample = JSON.stringify({ tag: 'r1-events', seq: 12345, sentAt: 1764287404512.123, ...FIXED, note: '' });
  return 'x'.repeat(Math.max(0, PAYLOAD_BYTES - Buffer.byteLength(sample)));
})();

/**
 * @typedef {{ tag: string, seq: number, sentAt: number } & typeof FIXED & { note: string }} BenchPayload
 */

/**
 * Builds the event data.
 *
 * @param {string} tag phase tag
 * @param {number} seq 0-based position in the phase
 * @param {number} sentAt when it was due to be sent, from `now()`
 * @returns {BenchPayload}
 */
function benchPayload(tag, seq, sentAt) {
  return { tag, seq, sentAt, ...FIXED, note: NOTE };
}

module.exports = { benchPayload, PAYLOAD_BYTES };
