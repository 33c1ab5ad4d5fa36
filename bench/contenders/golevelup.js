'use strict';

const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { AmqpConnection, RabbitMQModule, RabbitSubscribe } = require('@golevelup/nestjs-rabbitmq');
const { decorateClass, decorateMethod } = require('../lib/decorate');
const { consumedTarget } = require('./index');

/**
 * `@golevelup/nestjs-rabbitmq` as its README shows it: `RabbitMQModule.forRoot` in a Nest
 * application context, `AmqpConnection.publish` (a confirm channel underneath: the promise
 * resolves on the broker's confirm) and a `@RabbitSubscribe` handler, acked when it returns.
 *
 * @param {import('./index').OpenOptions} options
 * @returns {Promise<import('./index').OpenedContender>}
 */
async function open({ role, names, settings, onPayload }) {
  const target = consumedTarget(role);

  class BenchSubscriber {
    /** @param {import('./index').BenchPayload} message */
    handle(message) {
      onPayload(message);
    }
  }
  decorateClass(BenchSubscriber, [Injectable()]);
  decorateMethod(BenchSubscriber, 'handle', [
    RabbitSubscribe({
      exchange: names.exchange,
      routingKey: names.routingKeys[target],
      queue: names.queues[target],
      queueOptions: { durable: true },
    }),
  ]);

  class BenchModule {}
  decorateClass(BenchModule, [
    Module({
      imports: [
        RabbitMQModule.forRoot({
          uri: settings.amqpUrl,
          exchanges: [{ name: names.exchange, type: 'topic' }],
          prefetchCount: settings.prefetch,
          connectionInitOptions: { wait: true, timeout: 10_000 },
        }),
      ],
      providers: [BenchSubscriber],
    }),
  ]);

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  await app.init();
  const amqpConnection = app.get(AmqpConnection);

  return {
    publish(to, payload) {
      return amqpConnection.publish(names.exchange, names.routingKeys[to], payload, { persistent: true });
    },
    async close() {
      await app.close();
    },
  };
}

module.exports = { open };
