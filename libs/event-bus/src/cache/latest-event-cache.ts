import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { EventCache } from './event-cache.interface';
import type { RedisClient } from '../redis/redis-client';
import type { RedisKeys } from '../redis/redis-keys';

/**
 * Writes an envelope unless the stored one is newer (ISO-8601 UTC times compare as text), in
 * Redis so concurrent publishers cannot interleave a read and a write. KEYS: the entry and,
 * for keyed events, the type's key index; ARGV: envelope, its time, TTL, key, time in ms.
 */
const WRITE_IF_NEWER_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and type(stored.metadata) == 'table' and stored.metadata.timestamp and stored.metadata.timestamp > ARGV[2] then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
if KEYS[2] then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
  -- keys whose entry has expired leave the index too, so it stays as small as the live set
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[5]) - tonumber(ARGV[3]) * 1000))
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return 1`;

interface CacheCommands {
  eventBusWriteIfNewer(...args: Array<string | number>): Promise<number>;
}

/**
 * The latest-state cache of docs/semantics.md §8: the newest envelope per type and per (type, key),
 * each kept `eventTTL` seconds; a sorted index per type lists its keys so a late subscriber
 * can find every keyed entry without scanning the keyspace. On Redis Cluster the keys of one
 * type share a slot (hash tag `{<type>}`, see `RedisKeys`), so the write script, its pipeline
 * and the `MGET` of `readAll` each stay on one node.
 */
export class LatestEventCache implements EventCache {
  private readonly commands: CacheCommands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {
    redis.defineCommand('eventBusWriteIfNewer', { lua: WRITE_IF_NEWER_SCRIPT });
    this.commands = redis as unknown as CacheCommands;
  }

  /** Stores the envelope as latest of its type (and of its key); older events never win. */
  async write(envelope: EventEnvelope): Promise<void> {
    const json = JSON.stringify(envelope);
    const { timestamp, key } = envelope.metadata;
    const ttl = this.ttlSeconds;
    const pipeline = this.redis.pipeline() as unknown as CacheCommands & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    pipeline.eventBusWriteIfNewer(1, this.keys.latest(envelope.type), json, timestamp, ttl);
    if (key !== undefined) {
      pipeline.eventBusWriteIfNewer(
        2,
        this.keys.latestForKey(envelope.type, key),
        this.keys.latestIndex(envelope.type),
        json,
        timestamp,
        ttl,
        key,
        Date.parse(timestamp),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([err]) => err);
    if (failure) throw failure[0];
  }

  /** The latest event of a type, or of one key of it; `null` if none is cached. */
  async read<T>(type: string, key?: string): Promise<EventEnvelope<T> | null> {
    const raw = await this.redis.get(key === undefined ? this.keys.latest(type) : this.keys.latestForKey(type, key));
    return raw === null ? null : (JSON.parse(raw) as EventEnvelope<T>);
  }

  /** Every cached latest event of a type: the unkeyed one and one per live key, oldest first. */
  async readAll(type: string): Promise<EventEnvelope[]> {
    const since = Date.now() - this.ttlSeconds * 1000;
    const keys = await this.redis.zrangebyscore(this.keys.latestIndex(type), since, '+inf');
    const raws = await this.redis.mget(this.keys.latest(type), ...keys.map((k) => this.keys.latestForKey(type, k)));
    const byId = new Map<string, EventEnvelope>();
    for (const raw of raws) {
      if (raw === null) continue;
      const envelope = JSON.parse(raw) as EventEnvelope;
      byId.set(envelope.id, envelope);
    }
    return [...byId.values()].sort((a, b) => a.metadata.timestamp.localeCompare(b.metadata.timestamp));
  }
}
