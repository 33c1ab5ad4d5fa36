import { migratePostgresSchema } from 'nestjs-event-bus/postgres';
import type { Pool } from 'pg';
import { cleanUpShared } from '../support/chaos-cleanup';
import { CHAOS_PROFILE, scaled } from '../support/chaos-profile';
import { recordScenario } from '../support/chaos-report';
import { startFixture, type FixtureProcess } from '../support/fixture-process';
import { testPool } from '../support/postgres-test-schema';
import { PrivatePostgres } from '../support/private-postgres';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/**
 * A private PostgreSQL cluster crashes (immediate stop) and comes back while an outbox publisher
 * commits and relays and an inbox consumer handles what it sends. Callers whose transaction was
 * cut off get the driver's error; every row that did commit is delivered and its effect is
 * written exactly once.
 */
describe('chaos: PostgreSQL crashed and restarted under outbox and inbox load', () => {
  const topology = uniqueTopology('chaos-pg');
  const service = uniqueName('chaos-pg');
  const schema = 'event_bus';
  const restarts = scaled(2, 1);
  const processes: FixtureProcess[] = [];
  const failures = new Map<string, number>();
  let postgres: PrivatePostgres;
  let pool: Pool;

  const env = () => ({
    RABBITMQ_URL,
    EVENT_EXCHANGE: topology.exchange,
    DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
    DATABASE_URL: postgres.url,
    PG_SCHEMA: schema,
  });
  const count = async (sql: string): Promise<number> => (await pool.query(sql)).rows[0].n;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    pool = testPool(2, postgres.url);
    await migratePostgresSchema(pool, schema);
    await pool.query(`CREATE TABLE ${schema}.effects (event_id text NOT NULL, instance text NOT NULL)`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await pool?.end();
    await postgres?.dispose();
    await cleanUpShared(topology, [service]);
  }, 120_000);

  it(`loses and duplicates nothing across ${restarts} crash(es) of the database`, async () => {
    const consumer = startFixture('inbox-consumer.js', 'consumer', {
      ...env(),
      SERVICE_NAME: `${service}-kyc`,
      INSTANCE: 'consumer',
      PREFETCH: '20',
      WORK_MS: '5',
      WORK_JITTER_MS: '10',
    });
    processes.push(consumer);
    await consumer.ready;
    const publisher = startFixture('outbox-publisher.js', 'publisher', { ...env(), SERVICE_NAME: `${service}-auth`, ADD: '1' }, (line) => {
      if (!line.startsWith('failed ')) return;
      const kind = line.slice('failed '.length).split(':')[0];
      failures.set(kind, (failures.get(kind) ?? 0) + 1);
    });
    processes.push(publisher);
    await publisher.ready;

    const outageMs: number[] = [];
    for (let r = 1; r <= restarts; r++) {
      const before = await count(`SELECT count(*)::int AS n FROM ${schema}.outbox`);
      await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM ${schema}.outbox`)) >= before + 1000, {
        timeoutMs: 60_000,
        message: '1000 more committed rows',
      });
      await pool.end();
      const down = Date.now();
      await postgres.crash();
      // The outage itself: the database stays down for 1 s (this is the fault, not a wait for a condition).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await postgres.up();
      outageMs.push(Date.now() - down);
      pool = testPool(2, postgres.url);
      await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM ${schema}.outbox`)) > before + 1000, {
        timeoutMs: 60_000,
        message: 'commits after the restart',
      });
    }
    await publisher.kill();
    const committed = await count(`SELECT count(*)::int AS n FROM ${schema}.outbox`);
    await waitFor(async () => (await count(`SELECT count(DISTINCT event_id)::int AS n FROM ${schema}.effects`)) >= committed, {
      timeoutMs: 120_000,
      message: `${committed} effects`,
    });
    const effects = await count(`SELECT count(*)::int AS n FROM ${schema}.effects`);
    const distinct = await count(`SELECT count(DISTINCT event_id)::int AS n FROM ${schema}.effects`);
    const lost = await count(
      `SELECT count(*)::int AS n FROM ${schema}.outbox o WHERE NOT EXISTS (SELECT 1 FROM ${schema}.effects e WHERE e.event_id = o.event_id)`,
    );
    const callerErrors = [...failures.values()].reduce((a, b) => a + b, 0);
    recordScenario({
      id: 'postgres-restart',
      title: 'PostgreSQL crashed and restarted under outbox and inbox load',
      profile: CHAOS_PROFILE,
      passed: lost === 0 && effects === distinct,
      published: committed,
      confirmed: committed,
      handled: distinct,
      lost,
      duplicated: effects - distinct,
      unexpected: 0,
      unconfirmedDelivered: 0,
      refused: callerErrors,
      deadLettered: 0,
      faults: [],
      drainMs: 0,
      notes: [
        `${restarts} immediate stop(s) of a private cluster (like a crash: no checkpoint, every connection cut), restarted after 1 s (outage ${outageMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}); an outbox publisher (8 transactions at a time, its relay) and an \`inbox: true\` consumer writing one effect row per event.`,
        `Transactions that failed for the caller: ${callerErrors} (${[...failures].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}); the callers got the driver's error and went on.`,
        `Committed rows: ${committed}; effects: ${effects} for ${distinct} events; lost: ${lost}; duplicated effects: ${effects - distinct}.`,
      ],
      finishedAt: new Date().toISOString(),
    });

    expect(callerErrors).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(effects).toBe(distinct);
  }, 300_000);
});
