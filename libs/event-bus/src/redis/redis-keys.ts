/**
 * Builds every key the library writes, all under `keyPrefix` (docs/semantics.md §7-8).
 *
 * With `hashTags` (Redis Cluster) the event type of the cache keys is put in braces,
 * `latest:{<type>}:<key>`, so an entry, its type's index and the type's unkeyed entry share
 * one slot: the cache's script and `MGET` touch them together. The ledger keys need no tag:
 * each ledger script call is sent per slot. Without `hashTags` the names are exactly those of
 * docs/semantics.md.
 */
export class RedisKeys {
  constructor(
    private readonly prefix: string,
    private readonly hashTags = false,
  ) {}

  /** Idempotency ledger entry of one event in one queue: `processed:<queue>:<source>:<id>` (`eventKey` from `ledgerEventKey`). */
  processed(queue: string, eventKey: string): string {
    return `${this.prefix}processed:${queue}:${eventKey}`;
  }

  /** Latest event of a type: `latest:<type>` (cluster: `latest:{<type>}`). */
  latest(type: string): string {
    return `${this.prefix}latest:${this.typePart(type)}`;
  }

  /** Latest event of a type for one key: `latest:<type>:<key>` (cluster: `latest:{<type>}:<key>`). */
  latestForKey(type: string, key: string): string {
    return `${this.prefix}latest:${this.typePart(type)}:${key}`;
  }

  /** Sorted set of the keys with a cached latest event of a type (score: event time): `latest-index:<type>` (cluster: `latest-index:{<type>}`). */
  latestIndex(type: string): string {
    return `${this.prefix}latest-index:${this.typePart(type)}`;
  }

  private typePart(type: string): string {
    return this.hashTags ? `{${type}}` : type;
  }
}
