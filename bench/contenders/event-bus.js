'use strict';

const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { decorateClass } = require('../lib/decorate');
const { EVENT_BUS_RETRY_DELAY_MS } = require('../lib/resource-names');
const { consumedTarget } = require('./index');

/**
 * nestjs-event-bus, the built package as an application would install it (the run's snapshot
 * of it, or `require('nestjs-event-bus')`): `EventBusModule.forRoot` in a Nest application
 * context, `EventBus.publish` (resolves on the broker's confirm) and `EventBus.subscribe`
 * (acked when the handler returns).
 * `options.idempotent` is passed to `subscribe`: `true` runs every event through the Redis
 * ledger, `false` turns it off. `options.messageProperties` goes to `rabbitmq.messageProperties`.
 *
 * @param {import('./index').OpenOptions} options
 * @returns {Promise<import('./index').OpenedContender>}
 */
async function open({ role, names, settings, options, onPayload, library }) {
  /** @type {typeof import('nestjs-event-bus')} */
  const { EventBus, EventBusModule } = require(library ?? 'nestjs-event-bus');
  class BenchModule {}
  decorateClass(BenchModule, [
    Module({
      imports: [
        EventBusModule.forRoot({
          serviceName: /** @type {string} */ (names.serviceName),
          rabbitmq: {
            url: settings.amqpUrl,
            exchange: names.exchange,
            deadLetterExchange: /** @type {string} */ (names.deadLetterExchange),
            prefetch: settings.prefetch,
            retryDelay: EVENT_BUS_RETRY_DELAY_MS,
            ...(options.messageProperties ? { messageProperties: options.messageProperties } : {}),
          },
          // Ledger entries of a benchmark need not outlive it; the harness deletes them anyway.
          redis: { url: settings.redisUrl, keyPrefix: names.keyPrefix, eventTTL: 3600 },
        }),
      ],
    }),
  ]);

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  await app.init();
  const bus = app.get(EventBus);
  const subscribeOptions = { idempotent: options.idempotent !== false, prefetch: settings.prefetch };
  const consumed = consumedTarget(role);

  /** @param {import('nestjs-event-bus').EventEnvelope<import('./index').BenchPayload>} event */
  const handler = (event) => onPayload(event.data);
  await bus.subscribe(names.routingKeys[consumed], handler, { ...subscribeOptions, queue: names.queues[consumed] });

  if (role === 'main') {
    // The library declares its own queues (with their dead-letter arguments): subscribing once
    // creates the unconsumed sink and backlog queues, and the durable queues stay afterwards.
    for (const target of /** @type {const} */ (['sink', 'backlog'])) {
      const subscription = await bus.subscribe(names.routingKeys[target], () => undefined, {
        ...subscribeOptions,
        queue: names.queues[target],
      });
      await subscription.unsubscribe();
    }
  }

  return {
    publish(target, payload) {
      return bus.publish({ type: names.routingKeys[target], data: payload });
    },
    async close() {
      await app.close();
    },
  };
}

module.exports = { open };
