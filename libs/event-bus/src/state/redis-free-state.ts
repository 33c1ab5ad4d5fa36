import type { EventCache } from '../cache/event-cache.interface';
import { RedisNotConfiguredError } from '../errors/redis-not-configured.error';
import type { EventLedger } from '../idempotency/event-ledger.interface';
import type { EventBusState } from './event-bus-state.interface';

/**
 * The state of a bus set up without Redis: there is no ledger and no cache, and anything that
 * reaches for them fails with `RedisNotConfiguredError`. The registry and the publisher check
 * `enabled` first, so in practice these calls are refused before anything is sent or consumed.
 */
export class RedisFreeState implements EventBusState {
  readonly enabled = false;

  readonly ledger: EventLedger = {
    acquire: () => Promise.reject(new RedisNotConfiguredError('the idempotency ledger')),
    markDone: () => Promise.reject(new RedisNotConfiguredError('the idempotency ledger')),
    release: () => Promise.reject(new RedisNotConfiguredError('the idempotency ledger')),
  };

  readonly cache: EventCache = {
    write: () => Promise.reject(new RedisNotConfiguredError('publish({ cache: true })')),
    read: () => Promise.reject(new RedisNotConfiguredError('getLatest()')),
    readAll: () => Promise.reject(new RedisNotConfiguredError('useCache')),
  };

  isAvailable(): boolean {
    return false;
  }
}
