import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { EventEnvelope } from 'nestjs-event-bus';
import { REDIS_URL } from './test-names';
import { waitFor } from './wait-for';

/**
 * Bookkeeping of one fault scenario, kept in the shared Redis (which no fault touches) so
 * child processes can write to it too. Key layout under `chaos:<scenario>:<random>` — the
 * child fixture test/fixtures/chaos-service.js writes the same keys:
 *
 * | key                     | type   | holds                                                 |
 * | ----------------------- | ------ | ----------------------------------------------------- |
 * | `:confirmed`            | set    | ids whose `publish()` resolved                         |
 * | `:unconfirmed`          | hash   | id -> error name of a `publish()` that rejected        |
 * | `:effects`              | hash   | id -> times the handler's effect ran (HINCRBY)         |
 * | `:effects-by:<inst>`    | hash   | the same, per service instance                         |
 * | `:started-by:<inst>`    | hash   | id -> handler calls begun on that instance             |
 * | `:effects-total`        | string | every effect, to watch progress cheaply                |
 * | `:attempts`             | hash   | id -> calls of a handler that failed on purpose        |
 * | `:instances`            | set    | instance labels that recorded anything                 |
 */
export class ChaosLedger {
  private readonly writes = new Set<Promise<unknown>>();

  private constructor(
    readonly base: string,
    private readonly redis: Redis,
  ) {}

  /** A ledger with keys no other scenario or run uses. */
  static async open(scenario: string): Promise<ChaosLedger> {
    // Auto-pipelining batches the thousands of small writes a load produces.
    const redis = new Redis(REDIS_URL, { enableAutoPipelining: true });
    await redis.ping();
    return new ChaosLedger(`chaos:${scenario}:${randomBytes(4).toString('hex')}`, redis);
  }

  /** Environment a child process needs to write to this ledger. */
  get env(): Record<string, string> {
    return { CHAOS_REDIS_URL: REDIS_URL, CHAOS_LEDGER_BASE: this.base };
  }

  private key(suffix: string): string {
    return `${this.base}:${suffix}`;
  }

  /** A publish resolved: the broker has the event. */
  recordConfirmed(id: string): void {
    this.track(this.redis.sadd(this.key('confirmed'), id));
  }

  /** A publish rejected; the broker may still have received it (a timeout does not say). */
  recordUnconfirmed(id: string, errorName: string): void {
    this.track(this.redis.hset(this.key('unconfirmed'), id, errorName));
  }

  /** The handler's side effect: one increment per run, in one transaction with its bookkeeping. */
  async recordEffect(id: string, instance: string): Promise<void> {
    await this.redis
      .multi()
      .hincrby(this.key('effects'), id, 1)
      .hincrby(this.key(`effects-by:${instance}`), id, 1)
      .incr(this.key('effects-total'))
      .sadd(this.key('instances'), instance)
      .exec();
  }

  /**
   * A handler for `subscribe()` that records its start and its effect. `workMs` is the
   * handler's simulated work, so that a kill or a shutdown lands while handlers run; `fails`
   * picks events it fails on every attempt (poison), counting each attempt.
   */
  handler(instance: string, { workMs = 0, fails }: { workMs?: number; fails?: (event: EventEnvelope) => boolean } = {}) {
    return async (event: EventEnvelope): Promise<void> => {
      await this.redis.hincrby(this.key(`started-by:${instance}`), event.id, 1);
      if (fails?.(event)) {
        await this.redis.hincrby(this.key('attempts'), event.id, 1);
        throw new Error(`poison event ${event.id}`);
      }
      if (workMs > 0) await delay(workMs);
      await this.recordEffect(event.id, instance);
    };
  }

  /** Waits for every bookkeeping write issued so far. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  /** Effects recorded so far, by every instance. */
  async effectsTotal(): Promise<number> {
    return Number((await this.redis.get(this.key('effects-total'))) ?? 0);
  }

  /** Ids recorded as confirmed so far (child processes included). */
  async confirmedCount(): Promise<number> {
    return this.redis.scard(this.key('confirmed'));
  }

  /** Handler attempts per poison event. */
  async attempts(): Promise<Map<string, number>> {
    return toCounts(await this.redis.hgetall(this.key('attempts')));
  }

  /** Handler calls begun and effects recorded by one instance. */
  async instanceActivity(instance: string): Promise<{ started: Map<string, number>; effects: Map<string, number> }> {
    const [started, effects] = await Promise.all([
      this.redis.hgetall(this.key(`started-by:${instance}`)),
      this.redis.hgetall(this.key(`effects-by:${instance}`)),
    ]);
    return { started: toCounts(started), effects: toCounts(effects) };
  }

  /** Those of `ids` whose effect has not run yet. */
  async unhandled(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const counts = await this.redis.hmget(this.key('effects'), ...ids);
    return ids.filter((_, i) => counts[i] === null);
  }

  /**
   * Polls until every confirmed event has had its effect (or is among `deadLettered`).
   * @returns how long the wait took.
   */
  async waitUntilHandled({
    timeoutMs,
    deadLettered = () => new Set<string>(),
  }: {
    timeoutMs: number;
    deadLettered?: () => ReadonlySet<string>;
  }): Promise<number> {
    const started = Date.now();
    await this.flush();
    let missing = -1;
    await waitFor(
      async () => {
        const [confirmed, handled] = await Promise.all([this.redis.smembers(this.key('confirmed')), this.redis.hkeys(this.key('effects'))]);
        const done = new Set(handled);
        const dead = deadLettered();
        missing = confirmed.filter((id) => !done.has(id) && !dead.has(id)).length;
        return missing === 0;
      },
      { timeoutMs, intervalMs: 100, message: `every confirmed event to be handled (${this.base})` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; ${missing} still missing`);
    });
    return Date.now() - started;
  }

  /**
   * Sorts every event of the scenario: lost (confirmed, never handled nor dead-lettered),
   * duplicated (effect more than once), unexpected (handled, never published as far as the
   * publisher knows), unconfirmed but delivered (the publish rejected, yet the broker had it).
   */
  async classify(deadLettered: Iterable<string> = []): Promise<LedgerReport> {
    await this.flush();
    const [confirmedIds, unconfirmed, effectsRaw, instances] = await Promise.all([
      this.redis.smembers(this.key('confirmed')),
      this.redis.hgetall(this.key('unconfirmed')),
      this.redis.hgetall(this.key('effects')),
      this.redis.smembers(this.key('instances')),
    ]);
    const confirmed = new Set(confirmedIds);
    const dead = new Set(deadLettered);
    const effects = toCounts(effectsRaw);
    const handled = [...effects.keys()];
    const duplicated = handled.filter((id) => effects.get(id)! > 1);
    const byInstance = await this.effectsByInstance(instances, duplicated);
    return {
      confirmed: confirmed.size,
      handled: handled.length,
      deadLettered: [...dead].filter((id) => confirmed.has(id)).length,
      lost: confirmedIds.filter((id) => !effects.has(id) && !dead.has(id)),
      duplicated: duplicated.map((id) => ({ id, count: effects.get(id)!, byInstance: byInstance.get(id) ?? {} })),
      unexpected: handled.filter((id) => !confirmed.has(id) && !(id in unconfirmed)),
      unconfirmedDelivered: handled.filter((id) => !confirmed.has(id) && id in unconfirmed),
      refused: Object.keys(unconfirmed).filter((id) => !effects.has(id)).length,
    };
  }

  /** Deletes every key of the scenario and disconnects. */
  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.base}:*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await this.redis.del(...keys);
    this.redis.disconnect();
  }

  private async effectsByInstance(instances: string[], ids: string[]): Promise<Map<string, Record<string, number>>> {
    const result = new Map<string, Record<string, number>>();
    if (ids.length === 0) return result;
    for (const instance of instances) {
      const counts = await this.redis.hmget(this.key(`effects-by:${instance}`), ...ids);
      counts.forEach((count, i) => {
        if (count === null) return;
        result.set(ids[i], { ...result.get(ids[i]), [instance]: Number(count) });
      });
    }
    return result;
  }

  private track(write: Promise<unknown>): void {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }
}

/** One event whose effect ran more than once, and where. */
export interface DuplicateEffect {
  id: string;
  count: number;
  byInstance: Record<string, number>;
}

/** Outcome of a scenario, event by event. Pass: no lost, no duplicated, no unexpected. */
export interface LedgerReport {
  confirmed: number;
  /** Distinct events whose effect ran. */
  handled: number;
  /** Confirmed events found in a dead-letter queue. */
  deadLettered: number;
  lost: string[];
  duplicated: DuplicateEffect[];
  unexpected: string[];
  unconfirmedDelivered: string[];
  /** Publishes that rejected and were never handled. */
  refused: number;
}

function toCounts(raw: Record<string, string>): Map<string, number> {
  return new Map(Object.entries(raw).map(([id, n]) => [id, Number(n)]));
}
