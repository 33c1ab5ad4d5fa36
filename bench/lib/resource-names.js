'use strict';

/**
 * Names of everything a contender creates on the shared broker and Redis. Every name embeds
 * the run id, so concurrent runs (and the test suites) never touch each other's objects.
 */

/** The three places a contender publishes to: a queue nobody consumes, the consumed queue, the backlog. */
const TARGETS = /** @type {const} */ (['sink', 'events', 'backlog']);

/** Retry delay given to the library, so its wait-queue names are known for clean-up. */
const EVENT_BUS_RETRY_DELAY_MS = 1000;

/**
 * @typedef {'sink' | 'events' | 'backlog'} Target
 * @typedef {object} ResourceNames
 * @property {string} exchange topic exchange published to ('' for the default exchange)
 * @property {Record<Target, string>} queues queue per target
 * @property {Record<Target, string>} routingKeys routing key (or event type) per target
 * @property {string} [deadLetterExchange] library only
 * @property {string} [serviceName] library only
 * @property {string} [keyPrefix] library only: prefix of every Redis key it writes
 * @property {string[]} extraQueues queues the library derives from ours (dead letters, retry waits)
 */

/**
 * @param {string} runId unique per benchmark run
 * @param {import('./contenders').ContenderSpec} contender
 * @returns {ResourceNames}
 */
function resourceNames(runId, contender) {
  const base = `bench.${runId}.${contender.id}`;
  const queues = /** @type {Record<Target, string>} */ ({});
  for (const target of TARGETS) queues[target] = `${base}.${target}`;

  if (contender.topology === 'library') {
    const extraQueues = TARGETS.flatMap((t) => [`${queues[t]}.dlq`, `${queues[t]}.retry.${EVENT_BUS_RETRY_DELAY_MS}`]);
    return {
      exchange: `${base}.events`,
      deadLetterExchange: `${base}.dlx`,
      serviceName: `bench-${runId}-${contender.id}`,
      keyPrefix: `bench:${runId}:${contender.id}:`,
      queues,
      routingKeys: { sink: 'BENCH_SINK', events: 'BENCH_EVENT', backlog: 'BENCH_BACKLOG' },
      extraQueues,
    };
  }
  return {
    exchange: contender.topology === 'exchange' ? base : '',
    queues,
    routingKeys: { sink: 'bench.sink', events: 'bench.events', backlog: 'bench.backlog' },
    extraQueues: [],
  };
}

module.exports = { resourceNames, TARGETS, EVENT_BUS_RETRY_DELAY_MS };
