import type { EventBusLogger } from '../logging/event-bus-logger';
import type { DeclarationChannels } from '../topology/compatible-declaration';
import type { BrokerConnection } from './broker-connection';

/**
 * Throwaway channels on the bus's connection, for declarations the broker may refuse (which
 * closes the channel); warnings about queues kept as they are go to `logger`.
 */
export function declarationChannels(connection: BrokerConnection, logger: EventBusLogger): DeclarationChannels {
  return {
    open: async () => {
      const current = connection.current;
      if (!current) throw new Error('Not connected to RabbitMQ; the queues are declared again on reconnect');
      return current.createChannel();
    },
    warn: (message) => logger.warn(message),
  };
}
