import type { EventBusLogger } from '../logging/event-bus-logger';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { BoundSubscription } from './bound-subscription';
import type { InboundEvent } from './consume-interceptor.interface';
import type { ConsumerHandle } from './consumer-handle';

/** What every consumer is built from. */
export interface ConsumerParts {
  /** The subscription's consume chain. */
  pipeline: (event: InboundEvent) => Promise<void>;
  /** Delays that need a TTL wait queue (empty when retries happen in place). */
  retryDelays: readonly number[];
  /** Counts outcomes per queue. */
  report: (queue: string, outcome: ConsumeOutcome) => void;
  /** Where the consumer logs (secrets scrubbed, correlation id added). */
  logger: EventBusLogger;
}

/**
 * Swap point (`EVENT_BUS_CONSUMER_FACTORY`): makes the consumer of each subscription.
 * RabbitMQ in production (`RabbitMqConsumerFactory`); the testing module swaps in an
 * in-memory one, and everything around it (naming, the consume chain, the ledger, stats)
 * stays the same.
 */
export interface ConsumerFactory {
  create(spec: BoundSubscription, parts: ConsumerParts): ConsumerHandle;
}
