import type { BoundSubscription } from './bound-subscription';

/**
 * The subscriptions bound now, as monitoring and health checks read them
 * (`EVENT_BUS_SUBSCRIPTIONS`); the registry is the one implementation.
 */
export interface SubscriptionDirectory {
  subscriptions(): readonly BoundSubscription[];
  /** Deliveries of a queue being handled by this instance now (0 for a queue it does not consume). */
  inFlight(queue: string): number;
}
