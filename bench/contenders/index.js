'use strict';

/**
 * What every contender module exports: `open(options)`, which connects, starts consuming
 * the queue of its role (`events` for the main worker, `backlog` for the draining one) and
 * returns a publisher. Handlers call `onPayload` with the event data and then ack, so every
 * contender does the same work per message: decode JSON, hand it to user code, ack.
 *
 * @typedef {import('../lib/resource-names').Target} Target
 * @typedef {import('../lib/payload').BenchPayload} BenchPayload
 *
 * @typedef {object} OpenOptions
 * @property {'main' | 'drain'} role
 * @property {import('../lib/resource-names').ResourceNames} names
 * @property {import('../lib/settings').BenchSettings} settings
 * @property {Record<string, unknown>} options contender-specific options from its spec
 * @property {(payload: BenchPayload) => void} onPayload the handler's user code
 * @property {string} [library] file to load nestjs-event-bus from (the run's snapshot of the built package)
 *
 * @typedef {object} OpenedContender
 * @property {(target: Target, payload: BenchPayload) => Promise<unknown>} publish resolves once the broker confirmed it
 * @property {() => Promise<void>} close
 */

/**
 * Opens the contender implemented by `bench/contenders/<module>.js`.
 *
 * @param {string} moduleName
 * @param {OpenOptions} options
 * @returns {Promise<OpenedContender>}
 */
function openContender(moduleName, options) {
  // Loaded only here, so a worker never pays for (or measures) another contender's packages.
  const contender = require(`./${moduleName}`);
  return contender.open(options);
}

/**
 * The queue target a worker role consumes.
 *
 * @param {'main' | 'drain'} role
 * @returns {Target}
 */
function consumedTarget(role) {
  return role === 'drain' ? 'backlog' : 'events';
}

module.exports = { openContender, consumedTarget };
