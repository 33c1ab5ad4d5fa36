import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisConnectionError, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);

/** `redis.connectTimeout` at startup, on a private redis-server (the shared one is never touched). */
describe('Redis at startup', () => {
  const topology = uniqueTopology('redis-start');
  let redis: PrivateRedis;
  let raw: RawAmqp;
  const services: TestService[] = [];
  const queues: string[] = [];

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await redis?.stop();
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  it('waits for a Redis that is not up yet (up to connectTimeout), then works', async () => {
    const name = uniqueName('late-redis');
    queues.push(`${name}.PING`);
    await redis.kill();
    const starting = startService(
      testOptions(name, topology, { redis: { url: redis.url, keyPrefix: topology.keyPrefix, connectTimeout: 30_000 } }),
    );
    let settled = false;
    void starting.then(
      () => (settled = true),
      () => (settled = true),
    );
    // The start is still waiting while Redis is down (it would have failed at once before).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(settled).toBe(false);
    await redis.restart();
    const service = await starting;
    services.push(service);

    const handled: string[] = [];
    await service.bus.subscribe('PING', (event: EventEnvelope) => void handled.push(event.id));
    const sent = await service.bus.publish({ type: 'PING', data: {} });
    await waitFor(() => handled.includes(sent.id), { message: 'the event handled through the ledger' });
  }, 60_000);

  it('fails at once, saying the password was refused, when Redis refuses the credentials', async () => {
    await run('redis-cli', ['-p', String(redis.port), 'config', 'set', 'requirepass', 'right-password']);
    try {
      const url = `redis://:wrong-password@127.0.0.1:${redis.port}`;
      const error = await startService(
        testOptions(uniqueName('bad-redis-pass'), topology, { redis: { url, keyPrefix: topology.keyPrefix, connectTimeout: 45_000 } }),
      ).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(RedisConnectionError);
      const e = error as RedisConnectionError;
      expect(e.reason).toBe('refused');
      expect(e.message).toMatch(/refused the connection: WRONGPASS/);
      expect(e.message).toMatch(/Check the user and password in redis\.url/);
      expect(e.message).not.toContain('wrong-password');
      expect(e.message).not.toMatch(/within \d+ ms/);
    } finally {
      await run('redis-cli', ['-p', String(redis.port), '-a', 'right-password', '--no-auth-warning', 'config', 'set', 'requirepass', '']);
    }
  }, 60_000);
});
