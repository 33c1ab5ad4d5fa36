import type { EventBusOptions } from 'nestjs-event-bus';
import { RABBITMQ_URL, REDIS_URL, type TestTopology } from './test-names';

/** What a scenario changes from the defaults below. */
export interface ChaosOptionOverrides {
  rabbitmq?: Partial<EventBusOptions['rabbitmq']>;
  redis?: Partial<EventBusOptions['redis']>;
  shutdownTimeout?: number;
  maxMessageBytes?: number;
}

/**
 * Module options of a service under fault injection: the shared broker and Redis unless a
 * scenario points at private ones; heartbeat 1 s, which is also the reconnect interval, so
 * recovery is measured in seconds rather than in the production default of five.
 */
export function chaosOptions(serviceName: string, topology: TestTopology, overrides: ChaosOptionOverrides = {}): EventBusOptions {
  return {
    serviceName,
    shutdownTimeout: overrides.shutdownTimeout,
    maxMessageBytes: overrides.maxMessageBytes,
    rabbitmq: {
      url: RABBITMQ_URL,
      exchange: topology.exchange,
      deadLetterExchange: topology.deadLetterExchange,
      retryDelay: 50,
      heartbeat: 1,
      ...overrides.rabbitmq,
    },
    redis: { url: REDIS_URL, keyPrefix: topology.keyPrefix, ...overrides.redis },
  };
}
