import type { ConsumeMessage } from 'amqplib';
import { migratePostgresSchema } from 'nestjs-event-bus/postgres';
import type { Pool } from 'pg';
import { cleanUpShared } from '../support/chaos-cleanup';
import { CHAOS_PROFILE, scaled } from '../support/chaos-profile';
import { recordScenario } from '../support/chaos-report';
import { startFixture, type FixtureProcess } from '../support/fixture-process';
import { DATABASE_URL, dropSchema, testPool, uniqueSchema } from '../support/postgres-test-schema';
import { RawAmqp } from '../support/raw-amqp';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/**
 * Publisher processes writing events through the outbox die with SIGKILL, repeatedly, while they
 * commit transactions and their relays send: some rows are committed and not sent yet, some are
 * claimed by a relay that dies holding them, some are sent and not yet marked sent. Every committed
 * row must reach the exchange (at least once, by its event id), and no rolled-back one ever.
 */
describe('chaos: outbox publishers killed with SIGKILL between commit and send', () => {
  const topology = uniqueTopology('chaos-outbox');
  const service = uniqueName('chaos-outbox');
  const schema = uniqueSchema('chaos_outbox');
  const tap = `${service}.tap`;
  /** Rows committed before the last kill (the last process only relays). */
  const rows = scaled(6000, 2000);
  const kills = scaled(4, 2);
  const publishers: FixtureProcess[] = [];
  const rolledBack = new Set<string>();
  const delivered = new Map<string, number>();
  let pool: Pool;
  let raw: RawAmqp;

  const launch = (name: string, add: boolean): FixtureProcess => {
    const publisher = startFixture(
      'outbox-publisher.js',
      name,
      {
        SERVICE_NAME: service,
        RABBITMQ_URL,
        EVENT_EXCHANGE: topology.exchange,
        DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
        DATABASE_URL,
        PG_SCHEMA: schema,
        ADD: add ? '1' : '0',
        CONCURRENCY: '8',
      },
      (line) => line.startsWith('rolledback ') && rolledBack.add(line.slice('rolledback '.length)),
    );
    publishers.push(publisher);
    return publisher;
  };
  const count = async (sql: string): Promise<number> => (await pool.query(sql)).rows[0].n;
  const committed = () => count(`SELECT count(*)::int AS n FROM ${schema}.outbox`);

  beforeAll(async () => {
    pool = testPool(4);
    await migratePostgresSchema(pool, schema);
    raw = await RawAmqp.connect();
    await raw.channel.assertExchange(topology.exchange, 'topic', { durable: true });
    await raw.channel.assertQueue(tap, { durable: false, exclusive: true });
    await raw.channel.bindQueue(tap, topology.exchange, 'WORK');
    await raw.channel.consume(
      tap,
      (message: ConsumeMessage | null) => {
        if (!message) return;
        const id = String(message.properties.messageId);
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
      },
      { noAck: true },
    );
  });

  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.kill()));
    await raw.close();
    await cleanUpShared(topology, [service]);
    await dropSchema(pool, schema);
    await pool.end();
  }, 120_000);

  it(`delivers every committed row, and no rolled-back one, although ${kills} publisher process(es) die`, async () => {
    const started = Date.now();
    let running = launch('p1', true);
    await running.ready;
    const unsentAtKill: number[] = [];
    for (let k = 1; k <= kills; k++) {
      const threshold = Math.floor((rows * k) / (kills + 1));
      await waitFor(async () => (await committed()) >= threshold, { timeoutMs: 120_000, intervalMs: 20, message: `${threshold} rows` });
      await running.kill();
      unsentAtKill.push(await count(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE state = 'pending'`));
      running = launch(`p${k + 1}`, k < kills);
      await running.ready;
    }
    // The last process only relays: everything committed must now go out.
    const total = await committed();
    const drainStarted = Date.now();
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE state <> 'sent'`)) === 0, {
      timeoutMs: 120_000,
      message: 'every committed row sent',
    });
    const ids: string[] = (await pool.query(`SELECT event_id FROM ${schema}.outbox`)).rows.map((r: { event_id: string }) => r.event_id);
    await waitFor(() => ids.every((id) => delivered.has(id)), { timeoutMs: 30_000, message: 'every committed row delivered' });
    const drainMs = Date.now() - drainStarted;

    const lost = ids.filter((id) => !delivered.has(id));
    const leaked = [...rolledBack].filter((id) => delivered.has(id));
    const committedIds = new Set(ids);
    const unexpected = [...delivered.keys()].filter((id) => !committedIds.has(id));
    const resent = [...delivered.values()].filter((n) => n > 1).length;
    const dead = await count(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE state = 'dead'`);
    recordScenario({
      id: 'outbox-publisher-kill',
      title: 'Outbox publisher killed (SIGKILL) between commit and send',
      profile: CHAOS_PROFILE,
      passed: lost.length === 0 && leaked.length === 0 && unexpected.length === 0 && dead === 0,
      published: total + rolledBack.size,
      confirmed: total,
      handled: ids.length - lost.length,
      lost: lost.length,
      duplicated: 0,
      unexpected: unexpected.length + leaked.length,
      unconfirmedDelivered: 0,
      refused: rolledBack.size,
      deadLettered: dead,
      faults: [],
      drainMs,
      notes: [
        `${kills} kill(s) of publisher processes, each running 8 loops of BEGIN -> Outbox.add() -> COMMIT (every tenth rolled back) and its own relay; each replaced by a new process, the last of which only relays.`,
        `Committed rows not sent yet at each kill: ${unsentAtKill.join(', ')}; all were sent by the next process.`,
        `Committed: ${total}; delivered: ${ids.length - lost.length} (${resent} of them twice: sent, then the process died before marking the row sent; consumers deduplicate by id). Rolled back: ${rolledBack.size} (counted from what the processes printed before dying), delivered: ${leaked.length}.`,
        `Run took ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      ],
      finishedAt: new Date().toISOString(),
    });

    expect(unsentAtKill.some((n) => n > 0)).toBe(true);
    expect(rolledBack.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(leaked).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(dead).toBe(0);
  }, 300_000);
});
