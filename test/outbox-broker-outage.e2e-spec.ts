import { EVENT_BUS_TRANSPORT, type EventTransport } from 'nestjs-event-bus';
import { EventBusPostgresModule, Outbox, OutboxRelay } from 'nestjs-event-bus/postgres';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { dropSchema, outboxStates, testPool, uniqueSchema } from './support/postgres-test-schema';
import { startPrivateRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq';
import { deleteKeys, REDIS_URL, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * Broker outage: while RabbitMQ is down, adding to the outbox still commits at once and never
 * fails for the broker's sake; once it is back, the relay drains every committed row.
 * Runs on a private RabbitMQ node, killed and restarted by the test.
 */
describe('outbox during a broker outage', () => {
  const topology = uniqueTopology('outbox-outage');
  const schema = uniqueSchema('outage');
  let broker: PrivateRabbitMq | undefined;
  let pool: Pool;
  let service: TestService | undefined;

  beforeAll(async () => {
    pool = testPool();
    broker = await startPrivateRabbitMq();
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await broker?.stop();
    await dropSchema(pool, schema);
    await pool.end();
    // The handler's idempotency ledger wrote under the test's key prefix.
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, topology.keyPrefix);
    await redis.quit();
  }, 60_000);

  it('commits while the broker is down and sends everything once it is back', async () => {
    service = await startService(
      testOptions('outage-svc', topology, {
        rabbitmq: { exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange, url: broker!.url },
      }),
      {
        imports: [EventBusPostgresModule.forRoot({ pool, schema, ensureSchema: true, relay: { pollInterval: 200 } })],
      },
    );
    const outbox = service.app.get(Outbox);
    const transport = service.app.get<EventTransport>(EVENT_BUS_TRANSPORT, { strict: false });
    const handled = new Set<number>();
    await service.bus.subscribe<{ n: number }>('OUTAGE', (event) => void handled.add(event.data.n));

    const add = async (n: number): Promise<number> => {
      const started = performance.now();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await outbox.add(client, { type: 'OUTAGE', data: { n }, key: `k${n % 3}` });
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      return performance.now() - started;
    };

    await add(0);
    await waitFor(() => handled.has(0), { message: 'the event sent before the outage' });

    await broker!.kill();
    await waitFor(() => !transport.isConnected(), { message: 'the bus noticing the outage' });
    const durations: number[] = [];
    for (let n = 1; n <= 20; n++) durations.push(await add(n));
    // Nothing waited for the broker: each add + commit is a database round trip or three.
    expect(Math.max(...durations)).toBeLessThan(1_000);
    expect(await outboxStates(pool, schema)).toEqual({ sent: 1, pending: 20 });

    await broker!.restart();
    await waitFor(() => handled.size === 21, { timeoutMs: 60_000, message: 'every committed event handled after the restart' });
    await waitFor(async () => (await outboxStates(pool, schema)).pending === undefined, { message: 'no row left pending' });
    expect(await outboxStates(pool, schema)).toEqual({ sent: 21 });
    // The outage used up no attempt: the relay does not claim while the broker is away.
    expect(service.app.get(OutboxRelay).counters()).toMatchObject({ sent: 21, dead: 0 });
  }, 150_000);
});
