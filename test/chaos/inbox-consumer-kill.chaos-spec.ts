import { migratePostgresSchema } from 'nestjs-event-bus/postgres';
import type { Pool } from 'pg';
import { startChaosApp, type ChaosApp } from '../support/chaos-app';
import { cleanUpShared } from '../support/chaos-cleanup';
import { startFixture, type FixtureProcess } from '../support/fixture-process';
import { chaosOptions } from '../support/chaos-options';
import { CHAOS_PROFILE, scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordScenario } from '../support/chaos-report';
import { DATABASE_URL, dropSchema, testPool, uniqueSchema } from '../support/postgres-test-schema';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/**
 * Consumer processes with `inbox: true` die with SIGKILL while their handlers hold open inbox
 * transactions that already wrote the event's effect. PostgreSQL rolls those transactions back
 * with the connection; the broker redelivers the unacked events; another instance runs them. An
 * effect is a row written in the inbox transaction, so a duplicated effect would be a second row.
 */
describe('chaos: inbox consumers killed with SIGKILL mid-transaction', () => {
  const topology = uniqueTopology('chaos-inbox');
  const service = uniqueName('chaos-inbox');
  const publisherName = uniqueName('chaos-inbox-pub');
  const schema = uniqueSchema('chaos_inbox');
  const events = scaled(4000, 1500);
  const kills = scaled(4, 2);
  const prefetch = 20;
  const consumers: FixtureProcess[] = [];
  let pool: Pool;
  let publisher: ChaosApp | undefined;

  const launch = (instance: string): FixtureProcess => {
    const consumer = startFixture('inbox-consumer.js', instance, {
      SERVICE_NAME: service,
      RABBITMQ_URL,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      DATABASE_URL,
      PG_SCHEMA: schema,
      INSTANCE: instance,
      PREFETCH: String(prefetch),
      WORK_MS: '20',
      WORK_JITTER_MS: '60',
    });
    consumers.push(consumer);
    return consumer;
  };

  const count = async (sql: string): Promise<number> => (await pool.query(sql)).rows[0].n;
  const effects = () => count(`SELECT count(*)::int AS n FROM ${schema}.effects`);
  /** Transactions open now in the test database: inbox transactions whose effect is written but not committed. */
  const inTransactions = () =>
    count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()`);

  beforeAll(async () => {
    pool = testPool(4);
    await migratePostgresSchema(pool, schema);
    await pool.query(`CREATE TABLE ${schema}.effects (event_id text NOT NULL, instance text NOT NULL)`);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.kill()));
    await publisher?.close();
    await cleanUpShared(topology, [service, publisherName]);
    await dropSchema(pool, schema);
    await pool.end();
  }, 120_000);

  it(`runs each of ${events} events' effects exactly once although ${kills} consumer process(es) die mid-transaction`, async () => {
    const running = [launch('c1'), launch('c2')];
    await Promise.all(running.map((c) => c.ready));
    publisher = await startChaosApp(chaosOptions(publisherName, topology));
    const bus = publisher.bus;
    const started = Date.now();
    const publishing = (async () => {
      const window = new Set<Promise<unknown>>();
      for (let i = 0; i < events; i++) {
        const p = bus.publish({ type: 'WORK', data: { i } }).finally(() => window.delete(p));
        window.add(p);
        if (window.size >= 100) await Promise.race(window);
      }
      await Promise.all(window);
    })();

    const cutOff: number[] = [];
    const recoveryMs: number[] = [];
    for (let k = 1; k <= kills; k++) {
      const threshold = Math.floor((events * k) / (kills + 1));
      await waitFor(async () => (await effects()) >= threshold, { timeoutMs: 120_000, intervalMs: 20, message: `${threshold} effects` });
      // Only a kill that finds open inbox transactions tests anything.
      await waitFor(async () => (await inTransactions()) > 0, { timeoutMs: 30_000, intervalMs: 5, message: 'open inbox transactions' });
      const victim = running.shift()!;
      const open = await inTransactions();
      const before = await effects();
      const killedAt = Date.now();
      await victim.kill();
      cutOff.push(open);
      const next = launch(`c${k + 2}`);
      running.push(next);
      await next.ready;
      // Recovered once handling moves on past what was committed at the kill.
      await waitFor(async () => (await effects()) > before, { timeoutMs: 60_000, message: 'handling after the kill' });
      recoveryMs.push(Date.now() - killedAt);
    }
    await publishing;
    const publishedMs = Date.now();
    await waitFor(async () => (await count(`SELECT count(DISTINCT event_id)::int AS n FROM ${schema}.effects`)) === events, {
      timeoutMs: 120_000,
      message: `${events} distinct effects`,
    });
    const drainMs = Date.now() - publishedMs;
    await waitUntilQueuesSettled(service);

    const duplicated = await count(
      `SELECT count(*)::int AS n FROM (SELECT event_id FROM ${schema}.effects GROUP BY event_id HAVING count(*) > 1) d`,
    );
    const total = await effects();
    const inboxRows = await count(`SELECT count(*)::int AS n FROM ${schema}.inbox`);
    const passed = duplicated === 0 && total === events && inboxRows === events;
    recordScenario({
      id: 'inbox-consumer-kill',
      title: 'Inbox consumer killed (SIGKILL) mid-transaction',
      profile: CHAOS_PROFILE,
      passed,
      published: events,
      confirmed: events,
      handled: total,
      lost: events - (await count(`SELECT count(DISTINCT event_id)::int AS n FROM ${schema}.effects`)),
      duplicated,
      unexpected: 0,
      unconfirmedDelivered: 0,
      refused: 0,
      deadLettered: 0,
      faults: [],
      drainMs,
      notes: [
        `${kills} kill(s) of consumer processes with \`inbox: true\` (2 running at a time, prefetch ${prefetch}; each handler writes its effect row in the inbox transaction, then holds it open 20–80 ms); each replaced by a new process.`,
        `Open inbox transactions at each kill (effects written, not committed): ${cutOff.join(', ')}; handling resumed ${recoveryMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} after the kills (including the new process's start).`,
        `Effects: ${total} rows for ${events} events, duplicated effects: ${duplicated}; inbox records: ${inboxRows}. The same kill with the Redis ledger (consumer-kill above) can duplicate an effect that ran before the "done" mark.`,
        `Run took ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      ],
      finishedAt: new Date().toISOString(),
    });

    expect(cutOff.every((n) => n > 0)).toBe(true);
    expect(duplicated).toBe(0);
    expect(total).toBe(events);
    expect(inboxRows).toBe(events);
  }, 300_000);
});
