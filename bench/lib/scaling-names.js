'use strict';

const { EVENT_BUS_RETRY_DELAY_MS } = require('./resource-names');

/**
 * Names for the processes of a scaling configuration. Consumers open the contender as the main
 * worker does and consume the `events` queue. A publisher must not consume that queue, yet
 * every contender's `open()` starts a consumer; so a publisher gets names in which `events`
 * is an idle queue (bound to a routing key nobody publishes to) and `backlog` is the shared
 * events queue. It publishes to the `backlog` target, and its messages reach the consumers
 * through the same exchange, routing key and queue as in every other phase.
 */

/** The target a publisher of a scaling configuration publishes to (the consumers' queue, renamed). */
const PUBLISH_TARGET = /** @type {const} */ ('backlog');

/**
 * The idle queue's name and routing key for a configuration.
 *
 * @param {import('./resource-names').ResourceNames} names the configuration's own names
 * @returns {{ queue: string, routingKey: string }}
 */
function idleQueue(names) {
  const queue = names.queues.events.replace(/\.events$/, '.idle');
  return { queue, routingKey: names.serviceName ? 'BENCH_IDLE' : 'bench.idle' };
}

/**
 * Every queue a scaling configuration adds to its names: the idle queue and, for the library
 * (which declares a dead-letter and a retry queue per queue it consumes), those of the idle
 * queue. Listed with the names' `extraQueues`, so the run's clean-up deletes them.
 *
 * @param {import('./resource-names').ResourceNames} names
 * @returns {import('./resource-names').ResourceNames}
 */
function withIdleQueue(names) {
  const { queue } = idleQueue(names);
  const derived = names.serviceName ? [`${queue}.dlq`, `${queue}.retry.${EVENT_BUS_RETRY_DELAY_MS}`] : [];
  return { ...names, extraQueues: [...names.extraQueues, queue, ...derived] };
}

/**
 * What a publisher process opens the contender with.
 *
 * @param {import('./resource-names').ResourceNames} names the configuration's own names
 * @returns {import('./resource-names').ResourceNames}
 */
function publisherNames(names) {
  const idle = idleQueue(names);
  return {
    ...names,
    queues: { ...names.queues, events: idle.queue, [PUBLISH_TARGET]: names.queues.events },
    routingKeys: { ...names.routingKeys, events: idle.routingKey, [PUBLISH_TARGET]: names.routingKeys.events },
  };
}

module.exports = { PUBLISH_TARGET, publisherNames, withIdleQueue };
