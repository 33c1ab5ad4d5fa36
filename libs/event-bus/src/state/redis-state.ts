import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { EventCache } from '../cache/event-cache.interface';
import { LatestEventCache } from '../cache/latest-event-cache';
import { EVENT_BUS_REDIS, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { EventLedger } from '../idempotency/event-ledger.interface';
import { IdempotencyLedger } from '../idempotency/idempotency-ledger';
import { clusterMastersAnswer } from '../redis/cluster-masters-check';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { RedisClient } from '../redis/redis-client';
import { RedisKeys } from '../redis/redis-keys';
import type { EventBusState } from './event-bus-state.interface';

/** The bus's state in Redis: the idempotency ledger and the latest-event cache, on one connection (server, Sentinel or Cluster). */
@Injectable()
export class RedisState implements EventBusState, OnApplicationShutdown {
  readonly enabled = true;
  readonly ledger: EventLedger;
  readonly cache: EventCache;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_REDIS) private readonly redis: RedisClient,
  ) {
    if (!options.redis) throw new Error('RedisState needs the redis option');
    const { keyPrefix, eventTTL, leaseTimeout } = options.redis;
    // Cluster: cache keys get hash tags so each type's keys share a slot.
    const keys = new RedisKeys(keyPrefix, redis.isCluster);
    this.ledger = new IdempotencyLedger(redis, keys, { leaseMs: leaseTimeout, doneTtlSeconds: eventTTL });
    this.cache = new LatestEventCache(redis, keys, eventTTL);
  }

  /**
   * Whether the connection is ready for commands; on a cluster, also whether every master of
   * the slot map answers (the client stays ready while one of them is gone).
   */
  isAvailable(): boolean | Promise<boolean> {
    return this.redis instanceof Cluster ? clusterMastersAnswer(this.redis) : this.redis.status === 'ready';
  }

  /** Closes the connection last, after consumers stopped (their ledger writes are done). */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
    // QUIT closes the command connection only; behind Sentinel the client also holds connections
    // to the sentinels (listening for failovers) that would reconnect, and keep the process
    // alive, after the sentinels go away. disconnect() closes those too.
    this.redis.disconnect();
  }
}
