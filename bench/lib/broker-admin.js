'use strict';

const amqp = require('amqplib');

/**
 * The harness's own broker connection: declares the objects the harness owns, purges queues
 * between phases and deletes everything a run created. Each operation gets a fresh channel,
 * because the broker closes a channel on any refused operation.
 */
class BrokerAdmin {
  /**
   * @param {import('amqplib').ChannelModel} connection
   */
  constructor(connection) {
    this.connection = connection;
  }

  /**
   * @param {string} url
   * @returns {Promise<BrokerAdmin>}
   */
  static async connect(url) {
    const connection = await amqp.connect(url);
    // A channel error must never take the harness down; the operation's promise reports it.
    connection.on('error', () => undefined);
    return new BrokerAdmin(connection);
  }

  /** Broker version as it announces itself, e.g. "3.10.8". */
  get version() {
    const props = /** @type {{ serverProperties?: Record<string, unknown> }} */ (this.connection.connection).serverProperties;
    return String(props?.version ?? 'unknown');
  }

  /**
   * Declares what the contender does not declare itself: a durable topic exchange (unless the
   * default exchange is used) and durable queues bound to it.
   *
   * @param {import('./resource-names').ResourceNames} names
   * @returns {Promise<void>}
   */
  async declare(names) {
    await this.withChannel(async (channel) => {
      if (names.exchange) await channel.assertExchange(names.exchange, 'topic', { durable: true });
      for (const [target, queue] of Object.entries(names.queues)) {
        await channel.assertQueue(queue, { durable: true });
        if (names.exchange) await channel.bindQueue(queue, names.exchange, names.routingKeys[/** @type {'sink'} */ (target)]);
      }
    });
  }

  /**
   * Empties a queue (a queue that does not exist yet is fine).
   *
   * @param {string} queue
   * @returns {Promise<number>} messages removed
   */
  async purge(queue) {
    try {
      return await this.withChannel(async (channel) => (await channel.purgeQueue(queue)).messageCount);
    } catch (err) {
      if (/** @type {{ code?: number }} */ (err).code === 404) return 0;
      throw err;
    }
  }

  /**
   * Takes one message off a queue and returns its body size (undefined if the queue is empty).
   *
   * @param {string} queue
   * @returns {Promise<number | undefined>}
   */
  async takeBodySize(queue) {
    return this.withChannel(async (channel) => {
      const message = await channel.get(queue, { noAck: true });
      return message ? message.content.length : undefined;
    });
  }

  /**
   * Deletes queues and exchanges; missing ones are skipped. Errors are collected, not thrown,
   * so one leftover never stops the rest of the clean-up.
   *
   * @param {{ queues: string[], exchanges: string[] }} what
   * @returns {Promise<string[]>} problems met
   */
  async remove({ queues, exchanges }) {
    /** @type {string[]} */
    const problems = [];
    for (const queue of queues) {
      await this.withChannel((channel) => channel.deleteQueue(queue)).catch((err) => problems.push(`queue ${queue}: ${err.message}`));
    }
    for (const exchange of exchanges) {
      await this.withChannel((channel) => channel.deleteExchange(exchange)).catch((err) =>
        problems.push(`exchange ${exchange}: ${err.message}`),
      );
    }
    return problems;
  }

  /** @returns {Promise<void>} */
  async close() {
    await this.connection.close().catch(() => undefined);
  }

  /**
   * @template T
   * @param {(channel: import('amqplib').Channel) => Promise<T>} operation
   * @returns {Promise<T>}
   */
  async withChannel(operation) {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return await operation(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

module.exports = { BrokerAdmin };
