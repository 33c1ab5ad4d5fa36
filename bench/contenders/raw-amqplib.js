'use strict';

const amqp = require('amqplib');
const { consumedTarget } = require('./index');

/**
 * The baseline: amqplib with nothing on top. One confirm channel for publishing (each
 * publish resolves on its confirm) and one channel consuming with manual acks, each on its
 * own connection as RabbitMQ recommends (a publisher under flow control then never delays
 * the consumer's acks, and neither side's small writes wait behind the other's).
 *
 * @param {import('./index').OpenOptions} options
 * @returns {Promise<import('./index').OpenedContender>}
 */
async function open({ role, names, settings, onPayload }) {
  const consuming = await amqp.connect(settings.amqpUrl);
  const consumer = await consuming.createChannel();
  await consumer.prefetch(settings.prefetch);
  await consumer.consume(
    names.queues[consumedTarget(role)],
    (message) => {
      if (!message) return;
      onPayload(JSON.parse(message.content.toString()));
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
        publisher.publish(
          names.exchange,
          names.routingKeys[target],
          Buffer.from(JSON.stringify(payload)),
          { persistent: true, contentType: 'application/json' },
          (err) => (err ? reject(err) : resolve(undefined)),
        );
      });
    },
    async close() {
      await publishing?.close();
      await consuming.close();
    },
  };
}

module.exports = { open };
