/** Builds every key the library writes, all under `keyPrefix` (docs/semantics.md §7-8). */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Idempotency ledger entry of one event in one queue: `processed:<queue>:<source>:<id>` (`eventKey` from `ledgerEventKey`). */
  processed(queue: string, eventKey: string): string {
    return `${this.prefix}processed:${queue}:${eventKey}`;
  }

  /** Latest event of a type. */
  latest(type: string): string {
    return `${this.prefix}latest:${type}`;
  }

  /** Latest event of a type for one key. */
  latestForKey(type: string, key: string): string {
    return `${this.prefix}latest:${type}:${key}`;
  }

  /** Sorted set of the keys with a cached latest event of a type (score: event time). */
  latestIndex(type: string): string {
    return `${this.prefix}latest-index:${type}`;
  }
}
