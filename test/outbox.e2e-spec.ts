import type { GetMessage } from 'amqplib';
import { InvalidEventError, type EventEnvelope } from 'nestjs-event-bus';
import {
  EventBusPostgresModule,
  Outbox,
  OutboxDeadRows,
  OutboxRelay,
  OutboxTransactionError,
  type EventBusPostgresOptions,
} from 'nestjs-event-bus/postgres';
import { encodeEvent } from 'nestjs-event-bus/wire/cloud-event.encoder';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import {
  DATABASE_URL,
  dropSchema,
  otherDatabaseUrl,
  outboxStates,
  someoneWaitsForALock,
  testPool,
  uniqueSchema,
} from './support/postgres-test-schema';
import { RawAmqp } from './support/raw-amqp';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * The transactional outbox against the real PostgreSQL and RabbitMQ: what commits is sent
 * (byte for byte as publish() would send it), what rolls back is not, bad transactions are
 * refused without writing, and rows of one key go out in commit order across relays.
 */
describe('outbox (PostgreSQL)', () => {
  const topology = uniqueTopology('outbox');
  const schema = uniqueSchema('outbox');
  const taps: string[] = [];
  let pool: Pool;
  let raw: RawAmqp;
  let service: TestService;
  let outbox: Outbox;

  const postgres = (overrides: Partial<EventBusPostgresOptions> = {}): EventBusPostgresOptions => ({
    pool,
    schema,
    ensureSchema: true,
    // Long polls: a prompt delivery can only come from LISTEN/NOTIFY.
    relay: { pollInterval: 60_000, retryDelay: 20, ...overrides.relay },
    ...overrides,
  });

  async function inTransaction<T>(work: (client: PoolClient) => Promise<T>, end: 'COMMIT' | 'ROLLBACK' = 'COMMIT'): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query(end);
      return result;
    } finally {
      client.release();
    }
  }

  /** A queue of the test's own, bound to the events exchange for `routingKeys`. */
  async function tapQueue(...routingKeys: string[]): Promise<string> {
    const queue = uniqueName('outbox-tap');
    taps.push(queue);
    await raw.channel.assertQueue(queue, { durable: false });
    for (const key of routingKeys) await raw.channel.bindQueue(queue, topology.exchange, key);
    return queue;
  }

  /** The first `count` messages that reach `queue`. */
  async function received(queue: string, count: number, timeoutMs = 15_000): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (let i = 0; i < count; i++) messages.push(await raw.nextMessage(queue, timeoutMs));
    return messages;
  }

  beforeAll(async () => {
    pool = testPool();
    raw = await RawAmqp.connect();
    service = await startService(testOptions('outbox-svc', topology), { imports: [EventBusPostgresModule.forRoot(postgres())] });
    outbox = service.app.get(Outbox);
  });

  afterAll(async () => {
    await service?.close();
    await raw?.cleanup({ queues: taps, exchanges: [topology.exchange, topology.deadLetterExchange] });
    await raw?.close();
    await dropSchema(pool, schema);
    await pool?.end();
  });

  it('sends a committed event, byte for byte what publish() sends, woken by NOTIFY', async () => {
    const tap = await tapQueue('USER_CREATED');
    let committedAt = 0;
    const envelope = await inTransaction(async (client) => {
      await client.query('SELECT 1'); // the caller's own writes would be here
      const added = await outbox.add(client, { type: 'USER_CREATED', data: { id: 'u-1', email: 'a@example.com' }, key: 'u-1' });
      committedAt = performance.now();
      return added;
    });
    const [message] = await received(tap, 1);
    const latencyMs = performance.now() - committedAt;

    const direct = encodeEvent(envelope as EventEnvelope, true);
    expect(message.content.equals(direct.body)).toBe(true);
    expect(message.fields.routingKey).toBe('USER_CREATED');
    expect(message.properties).toMatchObject({
      messageId: envelope.id,
      correlationId: envelope.metadata.correlationId,
      type: 'USER_CREATED',
      appId: 'outbox-svc',
      contentType: 'application/cloudevents+json',
      deliveryMode: 2,
      timestamp: direct.properties.timestamp,
    });
    // The relay polls once a minute here: only the notification explains a prompt delivery.
    expect(latencyMs).toBeLessThan(5_000);
    await waitFor(async () => (await outboxStates(pool, schema)).sent === 1, { message: 'the row marked sent' });
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const tap = await tapQueue('ROLLED_BACK', 'MARKER');
    await inTransaction((client) => outbox.add(client, { type: 'ROLLED_BACK', data: {} }), 'ROLLBACK');
    await inTransaction((client) => outbox.add(client, { type: 'MARKER', data: {} }));
    const [message] = await received(tap, 1);
    expect(message.fields.routingKey).toBe('MARKER');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE event_type = 'ROLLED_BACK'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a client outside a transaction, before BEGIN and after COMMIT, writing nothing', async () => {
    const before = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
    const client = await pool.connect();
    try {
      await expect(outbox.add(client, { type: 'NO_TX', data: {} })).rejects.toMatchObject({
        name: 'OutboxTransactionError',
        problem: 'closed',
        message: expect.stringMatching(/not inside an open transaction.*between BEGIN and COMMIT/),
      });
      await client.query('BEGIN');
      await client.query('COMMIT');
      await expect(outbox.add(client, { type: 'NO_TX', data: {} })).rejects.toBeInstanceOf(OutboxTransactionError);
    } finally {
      client.release();
    }
    const after = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a transaction of another database, naming both', async () => {
    const other = testPool(1, otherDatabaseUrl());
    const client = await other.connect();
    try {
      await client.query('BEGIN');
      await expect(outbox.add(client, { type: 'ELSEWHERE', data: {} })).rejects.toMatchObject({
        problem: 'other-database',
        message: expect.stringContaining('connected to database "postgres", but the outbox is in "test"'),
      });
      await client.query('ROLLBACK');
    } finally {
      client.release();
      await other.end();
    }
  });

  it('refuses an invalid event and something that is not a transaction', async () => {
    await expect(inTransaction((client) => outbox.add(client, { type: '', data: {} }))).rejects.toBeInstanceOf(InvalidEventError);
    await expect(outbox.add({} as never, { type: 'X', data: {} })).rejects.toMatchObject({ problem: 'unsupported' });
  });

  it('makes a second transaction adding to the same key wait for the first, so ids follow commit order', async () => {
    const key = uniqueName('key');
    const tap = await tapQueue('ORDERED');
    const first = await pool.connect();
    await first.query('BEGIN');
    await outbox.add(first, { type: 'ORDERED', data: { n: 1 }, key });
    const second = inTransaction((client) => outbox.add(client, { type: 'ORDERED', data: { n: 2 }, key }));
    await waitFor(() => someoneWaitsForALock(pool, 'advisory'), { message: 'the second add waiting on the key lock' });
    await first.query('COMMIT');
    first.release();
    await second;
    const messages = await received(tap, 2);
    expect(messages.map((m) => JSON.parse(m.content.toString()).data.n)).toEqual([1, 2]);
  });

  it('keeps per-key order with two relays sharing the table', async () => {
    const tap = await tapQueue('SEQ');
    const second = await startService(testOptions('outbox-svc', topology), {
      imports: [EventBusPostgresModule.forRoot(postgres({ relay: { batchSize: 7, pollInterval: 50 } }))],
    });
    try {
      const keys = ['a', 'b', 'c', 'd'].map((k) => `${k}-${uniqueName('k')}`);
      const perKey = 40;
      // Each key's events commit one transaction after the other (1-3 per transaction); keys run concurrently.
      await Promise.all(
        keys.map(async (key) => {
          for (let n = 0; n < perKey;) {
            const size = Math.min(1 + (n % 3), perKey - n);
            const start = n;
            await inTransaction(async (client) => {
              for (let i = 0; i < size; i++) await outbox.add(client, { type: 'SEQ', data: { key, n: start + i }, key });
            });
            n += size;
          }
        }),
      );
      const messages = await received(tap, keys.length * perKey);
      const seen = new Map<string, number[]>();
      for (const m of messages) {
        const { key, n } = JSON.parse(m.content.toString()).data as { key: string; n: number };
        seen.set(key, [...(seen.get(key) ?? []), n]);
      }
      for (const key of keys) expect(seen.get(key)).toEqual([...Array(perKey).keys()]);
      // Both relays took part (the second one polls every 50 ms and claims small batches).
      expect(service.app.get(OutboxRelay).counters().sent).toBeGreaterThan(0);
      expect(second.app.get(OutboxRelay).counters().sent).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('marks an undecodable row dead at once, lists it, and sends it when replayed after a fix', async () => {
    const deadRows = service.app.get(OutboxDeadRows);
    const tap = await tapQueue('HAND_MADE');
    const { rows } = await pool.query(
      `INSERT INTO "${schema}".outbox (event_id, event_type, exchange, routing_key, body, properties)
       VALUES ('hand-made', 'HAND_MADE', $1, 'HAND_MADE', $2, '{"persistent":"yes"}') RETURNING id::text AS id`,
      [topology.exchange, Buffer.from('{"hand":"made"}')],
    );
    await pool.query(`NOTIFY "${schema}_outbox"`);
    await waitFor(async () => (await deadRows.list()).some((r) => r.id === rows[0].id), { message: 'the row listed dead' });
    const [dead] = (await deadRows.list()).filter((r) => r.id === rows[0].id);
    expect(dead).toMatchObject({
      eventId: 'hand-made',
      type: 'HAND_MADE',
      lastError: expect.stringContaining('properties.persistent should be a boolean'),
    });

    await pool.query(`UPDATE "${schema}".outbox SET properties = '{"persistent":true,"messageId":"hand-made"}' WHERE id = $1`, [
      rows[0].id,
    ]);
    await expect(deadRows.replay({ ids: [rows[0].id] })).resolves.toBe(1);
    const [message] = await received(tap, 1);
    expect(message.content.toString()).toBe('{"hand":"made"}');
    expect((await deadRows.list()).some((r) => r.id === rows[0].id)).toBe(false);
  });

  it('deletes sent rows after their retention period', async () => {
    const sweeping = await startService(testOptions('outbox-svc', topology), {
      imports: [EventBusPostgresModule.forRoot(postgres({ relay: { enabled: false }, retention: { sent: 0, interval: 100 } }))],
    });
    try {
      await waitFor(async () => ((await outboxStates(pool, schema)).sent ?? 0) === 0, { message: 'sent rows deleted' });
    } finally {
      await sweeping.close();
    }
  });

  it('takes TypeORM transactions: EntityManager and QueryRunner; a rollback sends nothing', async () => {
    const tap = await tapQueue('TYPEORM_MANAGER', 'TYPEORM_ROLLED_BACK', 'TYPEORM_RUNNER', 'TYPEORM_CLOSED', 'TYPEORM_NO_TX');
    const dataSource = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
    try {
      await dataSource.transaction((manager) => outbox.add(manager, { type: 'TYPEORM_MANAGER', data: {} }));
      await expect(
        dataSource.transaction(async (manager) => {
          await outbox.add(manager, { type: 'TYPEORM_ROLLED_BACK', data: {} });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await outbox.add(runner, { type: 'TYPEORM_RUNNER', data: {} });
      await runner.commitTransaction();
      await expect(outbox.add(runner, { type: 'TYPEORM_CLOSED', data: {} })).rejects.toMatchObject({
        problem: 'closed',
        message: expect.stringContaining('no active transaction'),
      });
      await runner.release();
      await expect(outbox.add(dataSource.manager, { type: 'TYPEORM_NO_TX', data: {} })).rejects.toMatchObject({ problem: 'closed' });

      const types = (await received(tap, 2)).map((m) => m.fields.routingKey);
      expect(types).toEqual(['TYPEORM_MANAGER', 'TYPEORM_RUNNER']);
    } finally {
      await dataSource.destroy();
    }
  });
});
