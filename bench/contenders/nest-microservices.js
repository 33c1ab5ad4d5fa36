'use strict';

const { Controller, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { ClientsModule, Ctx, EventPattern, Payload, Transport } = require('@nestjs/microservices');
const { lastValueFrom } = require('rxjs');
const { decorateClass, decorateMethod, decorateParameter } = require('../lib/decorate');
const { consumedTarget } = require('./index');
const { TARGETS } = require('../lib/resource-names');

/** Event pattern of every message (the queue, not the pattern, tells the phases apart). */
const PATTERN = 'bench.event';

/**
 * `@nestjs/microservices` over RabbitMQ as its docs show it: a microservice with an
 * `@EventPattern` handler (`noAck: false`, acked by hand through the RmqContext) and a
 * `ClientProxy` per queue whose `emit` publishes persistent messages on a confirm channel
 * (the observable completes on the broker's confirm).
 *
 * @param {import('./index').OpenOptions} options
 * @returns {Promise<import('./index').OpenedContender>}
 */
async function open({ role, names, settings, onPayload }) {
  /** Options both sides share, so the queue is declared identically by each. */
  const queueOptions = { durable: true };

  class BenchController {
    /**
     * @param {import('./index').BenchPayload} data
     * @param {import('@nestjs/microservices').RmqContext} context
     */
    handle(data, context) {
      onPayload(data);
      context.getChannelRef().ack(context.getMessage());
    }
  }
  decorateClass(BenchController, [Controller()]);
  decorateMethod(BenchController, 'handle', [EventPattern(PATTERN)]);
  decorateParameter(BenchController, 'handle', 0, Payload());
  decorateParameter(BenchController, 'handle', 1, Ctx());

  // The draining worker only consumes; the main worker gets one client per target queue.
  const clients =
    role === 'main'
      ? TARGETS.map((target) => ({
          name: clientToken(target),
          transport: /** @type {Transport.RMQ} */ (Transport.RMQ),
          options: { urls: [settings.amqpUrl], queue: names.queues[target], queueOptions, persistent: true },
        }))
      : [];

  class BenchModule {}
  decorateClass(BenchModule, [Module({ imports: [ClientsModule.register(clients)], controllers: [BenchController] })]);

  const app = await NestFactory.createMicroservice(BenchModule, {
    transport: Transport.RMQ,
    options: {
      urls: [settings.amqpUrl],
      queue: names.queues[consumedTarget(role)],
      queueOptions,
      noAck: false,
      prefetchCount: settings.prefetch,
    },
    logger: ['error', 'warn'],
  });
  await app.listen();

  /** @type {Map<string, import('@nestjs/microservices').ClientProxy>} */
  const proxies = new Map();
  for (const client of clients) {
    const proxy = app.get(client.name);
    await proxy.connect();
    proxies.set(client.name, proxy);
  }

  return {
    publish(target, payload) {
      const proxy = proxies.get(clientToken(target));
      if (!proxy) return Promise.reject(new Error('this worker does not publish'));
      return lastValueFrom(proxy.emit(PATTERN, payload), { defaultValue: undefined });
    },
    async close() {
      await app.close();
    },
  };
}

/**
 * @param {string} target
 * @returns {string}
 */
function clientToken(target) {
  return `BENCH_CLIENT_${target.toUpperCase()}`;
}

module.exports = { open };
