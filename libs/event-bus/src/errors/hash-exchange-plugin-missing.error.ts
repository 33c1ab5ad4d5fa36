/**
 * An `ordered: 'byKey'` subscription needs RabbitMQ's consistent-hash exchange type, and the
 * broker does not have it: the plugin ships with RabbitMQ but is off by default.
 */
export class HashExchangePluginMissingError extends Error {
  constructor(
    /** The queue of the subscription that asked for it. */
    readonly queue: string,
    /** The broker's own words. */
    readonly detail: string,
  ) {
    super(
      `Subscription ${queue} uses ordered: 'byKey', which needs RabbitMQ's consistent-hash exchange, but the broker refused it ` +
        `(${detail}). Enable it on every broker node with \`rabbitmq-plugins enable rabbitmq_consistent_hash_exchange\` ` +
        '(no restart needed), or add it to the enabled_plugins file of the image.',
    );
    this.name = 'HashExchangePluginMissingError';
  }
}
