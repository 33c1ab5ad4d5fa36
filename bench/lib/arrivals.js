'use strict';

const { now } = require('./clock');

/**
 * @typedef {object} Expectation
 * @property {Promise<void>} done resolves when every expected event was handled once
 * @property {() => number} handled distinct events handled so far
 * @property {() => number} duplicates deliveries of an event already handled
 * @property {() => number} firstAt time the first one was handled (NaN before)
 * @property {() => number} lastAt time the latest one was handled (NaN before)
 * @property {Float64Array | null} latencies handled time minus `sentAt`, by `seq` (NaN if not handled)
 */

/**
 * Counts what the contender's handler receives. Only events of the phase currently expected
 * (same `tag`) count; each `seq` counts once, so a redelivery shows up as a duplicate
 * instead of inflating throughput.
 */
class Arrivals {
  constructor() {
    /** @type {string | null} */
    this.tag = null;
    this.seen = new Uint8Array(0);
    this.count = 0;
    this.dups = 0;
    this.first = NaN;
    this.last = NaN;
    /** @type {Float64Array | null} */
    this.latencies = null;
    /** @type {((value?: unknown) => void) | null} */
    this.resolve = null;
    this.expected = 0;
    this.strays = 0;
  }

  /**
   * Starts counting a new phase.
   *
   * @param {string} tag phase tag carried by its events
   * @param {number} count events it will send
   * @param {{ latencies?: boolean }} [options] also record each event's latency
   * @returns {Expectation}
   */
  expect(tag, count, options = {}) {
    this.tag = tag;
    this.seen = new Uint8Array(count);
    this.count = 0;
    this.dups = 0;
    this.first = NaN;
    this.last = NaN;
    this.expected = count;
    this.latencies = options.latencies ? new Float64Array(count).fill(NaN) : null;
    const done = new Promise((resolve) => (this.resolve = resolve));
    if (count === 0) this.resolve?.();
    return {
      done,
      handled: () => this.count,
      duplicates: () => this.dups,
      firstAt: () => this.first,
      lastAt: () => this.last,
      latencies: this.latencies,
    };
  }

  /**
   * The handler of every contender calls this with the event data it received.
   *
   * @param {{ tag?: unknown, seq?: unknown, sentAt?: unknown }} payload
   */
  onPayload(payload) {
    const t = now();
    const seq = Number(payload?.seq);
    if (payload?.tag !== this.tag || !(seq >= 0 && seq < this.expected)) {
      this.strays++;
      return;
    }
    if (this.seen[seq] === 1) {
      this.dups++;
      return;
    }
    this.seen[seq] = 1;
    if (this.count++ === 0) this.first = t;
    this.last = t;
    if (this.latencies) this.latencies[seq] = t - Number(payload.sentAt);
    if (this.count === this.expected) this.resolve?.();
  }
}

module.exports = { Arrivals };
