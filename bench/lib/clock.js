'use strict';

const { performance } = require('node:perf_hooks');

/**
 * Milliseconds with sub-millisecond resolution, comparable across processes of this machine
 * (wall-clock origin plus a monotonic offset).
 *
 * @returns {number}
 */
function now() {
  return performance.timeOrigin + performance.now();
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Rejects with a descriptive error when `promise` has not settled within `ms`.
 *
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {() => string} describe called on timeout, for the error message
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, describe) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s: ${describe()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = { now, sleep, withTimeout };
