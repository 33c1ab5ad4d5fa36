import { Injectable } from '@nestjs/common';
import { OnEvent, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { EventBusPostgresModule, inboxTransaction } from 'nestjs-event-bus/postgres';
import { EventBusStats } from 'nestjs-event-bus/stats/event-bus-stats';
import type { Pool, PoolClient } from 'pg';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { dropSchema, someoneWaitsForALock, testPool, uniqueSchema } from './support/postgres-test-schema';
import { RawAmqp } from './support/raw-amqp';
import { uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

interface CaseData {
  fail?: boolean;
  hold?: boolean;
}

const schema = uniqueSchema('inbox');

/** Writes a case row in the inbox transaction; may fail its first attempt, or hold until released. */
@Injectable()
class CaseHandler {
  readonly calls = new Map<string, number>();
  holding = deferred();
  release = deferred();

  @OnEvent('CASE_OPENED', { inbox: true })
  async open(event: EventEnvelope<CaseData>, ctx: EventContext): Promise<void> {
    this.calls.set(event.id, (this.calls.get(event.id) ?? 0) + 1);
    await inboxTransaction<PoolClient>(ctx).query(`INSERT INTO "${schema}".cases (event_id, attempt) VALUES ($1, $2)`, [
      event.id,
      ctx.attempt,
    ]);
    if (event.data.fail && ctx.attempt === 1) throw new Error('first attempt fails after writing');
    if (event.data.hold) {
      this.holding.resolve();
      await this.release.promise;
    }
  }
}

/**
 * The inbox against the real PostgreSQL and RabbitMQ: the handler's writes and the inbox
 * record commit together, a redelivery of a committed event does not run the handler, a
 * failed attempt leaves nothing behind, and two copies at once never both run.
 */
describe('inbox (PostgreSQL)', () => {
  const topology = uniqueTopology('inbox');
  const serviceName = uniqueName('inbox-svc');
  const queue = `${serviceName}.CASE_OPENED`;
  let pool: Pool;
  let service: TestService;
  let handler: CaseHandler;
  let stats: EventBusStats;

  async function caseRows(eventId: string): Promise<number[]> {
    const { rows } = await pool.query(`SELECT attempt FROM "${schema}".cases WHERE event_id = $1 ORDER BY attempt`, [eventId]);
    return rows.map((r: { attempt: number }) => r.attempt);
  }

  async function inboxHas(eventId: string): Promise<boolean> {
    const { rows } = await pool.query(`SELECT 1 FROM "${schema}".inbox WHERE queue = $1 AND event_key LIKE $2`, [queue, `%:${eventId}`]);
    return rows.length === 1;
  }

  beforeAll(async () => {
    pool = testPool();
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE "${schema}".cases (event_id text NOT NULL, attempt int NOT NULL)`);
    service = await startService(testOptions(serviceName, topology), {
      imports: [EventBusPostgresModule.forRoot({ pool, schema, ensureSchema: true, relay: { enabled: false } })],
      providers: [CaseHandler],
    });
    handler = service.app.get(CaseHandler);
    stats = service.app.get(EventBusStats, { strict: false });
  });

  afterAll(async () => {
    handler?.release.resolve();
    await service?.close();
    const raw = await RawAmqp.connect();
    await raw.cleanupTopology(topology, [queue]);
    await raw.close();
    await dropSchema(pool, schema);
    await pool?.end();
  });

  it('runs the handler in a transaction that also records the event', async () => {
    const { id } = await service.bus.publish({ type: 'CASE_OPENED', data: {} });
    await waitFor(() => inboxHas(id), { message: 'the inbox record' });
    expect(await caseRows(id)).toEqual([1]);
    expect(handler.calls.get(id)).toBe(1);
  });

  it('acks a redelivery of a committed event without running the handler', async () => {
    const { id } = await service.bus.publish({ type: 'CASE_OPENED', data: {} });
    await waitFor(() => inboxHas(id), { message: 'the first delivery committed' });
    const duplicatesBefore = stats.queue(queue).duplicates;
    await service.bus.publish({ type: 'CASE_OPENED', id, data: {} });
    await waitFor(() => stats.queue(queue).duplicates === duplicatesBefore + 1, { message: 'the copy acked as a duplicate' });
    expect(handler.calls.get(id)).toBe(1);
    expect(await caseRows(id)).toEqual([1]);
  });

  it('rolls a failed attempt back, writes included, and the retry runs it again', async () => {
    const { id } = await service.bus.publish({ type: 'CASE_OPENED', data: { fail: true } });
    await waitFor(() => inboxHas(id), { message: 'the retry committed' });
    expect(handler.calls.get(id)).toBe(2);
    // Attempt 1 wrote its row, then threw: its transaction (row and inbox record) rolled back.
    expect(await caseRows(id)).toEqual([2]);
  });

  it('makes a second copy delivered during the first wait, then skips it', async () => {
    const id = uniqueName('case');
    const duplicatesBefore = stats.queue(queue).duplicates;
    await service.bus.publish({ type: 'CASE_OPENED', id, data: { hold: true } });
    await handler.holding.promise;
    await service.bus.publish({ type: 'CASE_OPENED', id, data: { hold: true } });
    // The copy's insert waits on the first delivery's uncommitted inbox row.
    await waitFor(() => someoneWaitsForALock(pool, 'transactionid'), { message: 'the second copy blocked on the inbox row' });
    expect(handler.calls.get(id)).toBe(1);
    handler.release.resolve();
    await waitFor(() => stats.queue(queue).duplicates === duplicatesBefore + 1, { message: 'the copy skipped after the commit' });
    expect(handler.calls.get(id)).toBe(1);
    expect(await caseRows(id)).toEqual([1]);
  });

  it('refuses inbox: true without EventBusPostgresModule, and together with idempotent: true', async () => {
    const other = uniqueTopology('inbox-bad');
    await expect(startService(testOptions('inbox-bad', other), { providers: [CaseHandler] })).rejects.toThrow(
      /@OnEvent\(CASE_OPENED\) on CaseHandler\.open\.inbox: inbox: true needs PostgreSQL.*EventBusPostgresModule\.forRoot/,
    );
    const bad = await startService(testOptions('inbox-bad', other), {
      imports: [EventBusPostgresModule.forRoot({ pool, schema, relay: { enabled: false } })],
    });
    try {
      await expect(bad.bus.subscribe('X', () => undefined, { inbox: true, idempotent: true })).rejects.toThrow(
        /idempotent: the inbox .* drop idempotent: true/,
      );
    } finally {
      await bad.close();
      const raw = await RawAmqp.connect();
      await raw.cleanup({ exchanges: [other.exchange, other.deadLetterExchange] });
      await raw.close();
    }
  });
});
