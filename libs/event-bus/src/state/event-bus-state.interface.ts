import type { EventCache } from '../cache/event-cache.interface';
import type { EventLedger } from '../idempotency/event-ledger.interface';

/**
 * Swap point (`EVENT_BUS_STATE`): the bus's state, the idempotency ledger and the
 * latest-event cache. Redis in production (`RedisState`), maps in memory under
 * `EventBusTestingModule`.
 */
export interface EventBusState {
  /** `false` when the bus runs without Redis: no ledger, no cache. */
  readonly enabled: boolean;
  readonly ledger: EventLedger;
  readonly cache: EventCache;
  /** Whether the store answers now (for health checks); may ask it, e.g. every node of a cluster. */
  isAvailable(): boolean | Promise<boolean>;
}
