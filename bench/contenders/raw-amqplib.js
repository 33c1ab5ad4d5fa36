'use strict';

const amqp = require('amqplib');
const { consumedTarget } = require('./index');
const { cloudEventMessage } = require('../lib/cloud-event-wire');

/**
 * The baseline: amqplib with nothing on top. One confirm channel for publishing (each
 * publish resolves on its confirm) and one channel consuming with manual acks, each on its
 * own connection as RabbitMQ recommends (a publisher under flow control then never delays
 * the consumer's acks, and neither side's small writes wait behind the other's).
 * With `options.wireFormat === 'cloudevents'` it sends nestjs-event-bus's wire format instead
 * of the bare event data (and its consumer reads `data` out of it): same work, bigger message;
 * `'cloudevents-minimal'` sends it with `messageProperties: 'minimal'` (content type only).
 *
 * @param {import('./index').OpenOptions} options
 * @returns {Promise<import('./index').OpenedContender>}
 */
async function open({ role, names, settings, options, onPayload }) {
  const cloudEvents = options?.wireFormat === 'cloudevents' || options?.wireFormat === 'cloudevents-minimal';
  const minimalProperties = options?.wireFormat === 'cloudevents-minimal';
  // A service name as long as the one the library gets (`bench-<run id>-<contender>`).
  const source = names.exchange.replace(/\./g, '-');
  const consuming = await amqp.connect(settings.amqpUrl);
  const consumer = await consuming.createChannel();
  await consumer.prefetch(settings.prefetch);
  await consumer.consume(
    names.queues[consumedTarget(role)],
    (message) => {
      if (!message) return;
      const parsed = JSON.parse(message.content.toString());
      onPayload(cloudEvents ? parsed.data : parsed);
      consumer.ack(message);
    },
    { noAck: false },
  );
  // The draining worker never publishes: it opens nothing it does not use.
  const publishing = role === 'main' ? await amqp.connect(settings.amqpUrl) : null;
  const publisher = publishing ? await publishing.createConfirmChannel() : null;

  return {
    publish(target, payload) {
      return new Promise((resolve, reject) => {
        if (!publisher) return reject(new Error('this worker does not publish'));
        const routingKey = names.routingKeys[target];
        const { body, properties } = cloudEvents
          ? cloudEventMessage(source, routingKey, payload, minimalProperties)
          : { body: Buffer.from(JSON.stringify(payload)), properties: { persistent: true, contentType: 'application/json' } };
        publisher.publish(names.exchange, routingKey, body, properties, (err) => (err ? reject(err) : resolve(undefined)));
      });
    },
    async close() {
      await publishing?.close();
      await consuming.close();
    },
  };
}

module.exports = { open };
