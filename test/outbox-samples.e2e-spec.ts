import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { AuthModule } from '../apps/auth/src/auth.module';
import { KycModule } from '../apps/kyc/src/kyc.module';
import { serviceSchema } from '../apps/shared/src/sample-postgres.module';
import { DATABASE_URL, dropSchema, testPool } from './support/postgres-test-schema';
import { RawAmqp } from './support/raw-amqp';
import { deleteKeys, RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { testLogger } from './support/test-logger';
import { waitFor } from './support/wait-for';

// The samples print a timeline line per handled event for the demo; here it would only be noise.
jest.mock('../apps/shared/src/timeline', () => ({ TIMELINE_PREFIX: 'timeline ', writeTimeline: () => undefined }));

/**
 * The auth and KYC samples in-process against the real services: sign-up writes the user and
 * USER_CREATED in one transaction; KYC opens the case and adds KYC_STARTED through the inbox,
 * and a redelivered USER_CREATED opens no second case.
 */
describe('sample services on the outbox and inbox', () => {
  const topology = uniqueTopology('samples-pg');
  const namespace = uniqueName('spg');
  const names = { auth: `${namespace}-auth`, kyc: `${namespace}-kyc` };
  const saved = { ...process.env };
  const apps: INestApplication[] = [];
  let pool: Pool;
  let raw: RawAmqp;
  let urls: { auth: string; kyc: string };

  /** Starts a sample module as its own application, named by SERVICE_NAME while it is built. */
  async function start(module: unknown, serviceName: string): Promise<string> {
    process.env.SERVICE_NAME = serviceName;
    const moduleRef = await Test.createTestingModule({ imports: [module as never] })
      .setLogger(testLogger())
      .compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }

  /** An HTTP call that leaves no keep-alive connection (and its timers) behind. */
  const http = (url: string, init: RequestInit = {}) => fetch(url, { ...init, headers: { ...init.headers, connection: 'close' } });

  beforeAll(async () => {
    Object.assign(process.env, {
      RABBITMQ_URL,
      REDIS_URL,
      DATABASE_URL,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      REDIS_KEY_PREFIX: topology.keyPrefix,
      RETRY_DELAY: '50',
    });
    pool = testPool(2);
    raw = await RawAmqp.connect();
    // KYC first: its queue must exist before auth's first event is sent.
    const kyc = await start(KycModule, names.kyc);
    const auth = await start(AuthModule, names.auth);
    urls = { auth, kyc };
  }, 60_000);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    process.env = saved;
    const queue = `${names.kyc}.USER_CREATED`;
    await raw.cleanupTopology(topology, [queue, 'kyc-started-tap'], [50, 100, 200]);
    await raw.close();
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, topology.keyPrefix);
    await redis.quit();
    for (const name of Object.values(names)) await dropSchema(pool, serviceSchema(name));
    await pool.end();
  });

  it('signs up into PostgreSQL, opens the KYC case once, and announces it once', async () => {
    await raw.channel.assertQueue('kyc-started-tap', { exclusive: true });
    await raw.channel.bindQueue('kyc-started-tap', topology.exchange, 'KYC_STARTED');
    const response = await http(`${urls.auth}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'spg-1' },
      body: JSON.stringify({ email: 'ada@example.com', role: 'STUDENT' }),
    });
    expect(response.status).toBe(201);
    const signup = (await response.json()) as { userId: string; eventId: string };

    const user = await http(`${urls.auth}/users/${signup.userId}`);
    expect(await user.json()).toMatchObject({ userId: signup.userId, email: 'ada@example.com', role: 'STUDENT' });

    const started = JSON.parse((await raw.nextMessage('kyc-started-tap')).content.toString());
    expect(started).toMatchObject({
      type: 'KYC_STARTED',
      correlationid: 'spg-1',
      causationid: signup.eventId,
      data: { userId: signup.userId },
    });
    const kycCase = await http(`${urls.kyc}/kyc/${signup.userId}`);
    expect(await kycCase.json()).toMatchObject({ userId: signup.userId, status: 'PENDING_DOCUMENTS', correlationId: 'spg-1' });

    // USER_CREATED again, as a redelivery would bring it: acked without a second case or KYC_STARTED.
    const sent = await pool.query(`SELECT body, properties FROM "${serviceSchema(names.auth)}".outbox WHERE event_id = $1`, [
      signup.eventId,
    ]);
    await raw.publish(topology.exchange, 'USER_CREATED', sent.rows[0].body, sent.rows[0].properties);
    const inbox = `"${serviceSchema(names.kyc)}".inbox`;
    await waitFor(async () => (await raw.depth(`${names.kyc}.USER_CREATED`)) === 0, { message: 'the copy consumed' });
    const marker = await http(`${urls.auth}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'marker@example.com', role: 'ADMIN' }),
    });
    const { userId: markerId } = (await marker.json()) as { userId: string };
    await waitFor(async () => (await http(`${urls.kyc}/kyc/${markerId}`)).status === 200, { message: 'the marker case' });
    const kycOutbox = await pool.query(`SELECT count(*)::int AS n FROM "${serviceSchema(names.kyc)}".outbox WHERE partition_key = $1`, [
      signup.userId,
    ]);
    expect(kycOutbox.rows[0].n).toBe(1);
    const records = await pool.query(`SELECT count(*)::int AS n FROM ${inbox}`);
    expect(records.rows[0].n).toBe(2);
  });
});
