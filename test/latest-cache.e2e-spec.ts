import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { OnEvent, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { REDIS_URL, deleteKeys, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

interface UserCreated {
  userId: string;
  email: string;
}

const welcomed: string[] = [];

/** A service deployed after the sign-up happened ("check cache first"). */
@Injectable()
class LateWelcomeHandler {
  @OnEvent('USER_CREATED', { durable: true, useCache: true })
  welcome(event: EventEnvelope<UserCreated>): void {
    welcomed.push(event.data.userId);
  }
}

describe('latest-event cache and useCache', () => {
  const topology = uniqueTopology('cache');
  const services: TestService[] = [];
  const queues: string[] = [];
  let raw: RawAmqp;
  let redis: Redis;
  let auth: TestService;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    redis = new Redis(REDIS_URL);
    auth = await startService(
      testOptions(uniqueName('auth'), topology, { redis: { url: REDIS_URL, keyPrefix: topology.keyPrefix, eventTTL: 7200 } }),
    );
    services.push(auth);
  });

  afterEach(() => jest.useRealTimers());

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await raw.cleanupTopology(topology, queues);
    await raw.close();
    await deleteKeys(redis, topology.keyPrefix);
    redis.disconnect();
  });

  it('keeps the latest event per type and per key, with TTL eventTTL', async () => {
    const a = await auth.bus.publish({ type: 'PROFILE', key: 'u1', data: { name: 'Ada' } }, { cache: true });
    const b = await auth.bus.publish({ type: 'PROFILE', key: 'u2', data: { name: 'Bob' } }, { cache: true });
    await auth.bus.publish({ type: 'PROFILE', key: 'u3', data: { name: 'not cached' } });

    expect(await auth.bus.getLatest('PROFILE', 'u1')).toEqual(a);
    expect(await auth.bus.getLatest('PROFILE', 'u2')).toEqual(b);
    expect(await auth.bus.getLatest('PROFILE')).toEqual(b);
    expect(await auth.bus.getLatest('PROFILE', 'u3')).toBeNull();
    expect(await auth.bus.getLatest('NEVER_PUBLISHED')).toBeNull();

    for (const key of [`${topology.keyPrefix}latest:PROFILE`, `${topology.keyPrefix}latest:PROFILE:u1`]) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(7190);
      expect(ttl).toBeLessThanOrEqual(7200);
    }
  });

  it('never lets an older event replace a newer one', async () => {
    const newer = await auth.bus.publish({ type: 'PRICE', key: 'sku-1', data: { price: 20 } }, { cache: true });
    // A publisher whose event is stamped a minute earlier, arriving after the newer one.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'queueMicrotask',
        'performance',
        'hrtime',
      ],
      now: Date.now() - 60_000,
    });
    const older = await auth.bus.publish({ type: 'PRICE', key: 'sku-1', data: { price: 10 } }, { cache: true });
    jest.useRealTimers();
    expect(older.metadata.timestamp < newer.metadata.timestamp).toBe(true);

    expect(await auth.bus.getLatest('PRICE', 'sku-1')).toEqual(newer);
    expect(await auth.bus.getLatest('PRICE')).toEqual(newer);
    const newest = await auth.bus.publish({ type: 'PRICE', key: 'sku-1', data: { price: 30 } }, { cache: true });
    expect(await auth.bus.getLatest('PRICE', 'sku-1')).toEqual(newest);
  });

  it('hands a late subscriber the cached events on bind, once, and not again after a restart', async () => {
    const emailName = uniqueName('email');
    queues.push(`${emailName}.USER_CREATED`);
    await auth.bus.publish({ type: 'USER_CREATED', key: 'u-100', data: { userId: 'u-100', email: 'a@example.com' } }, { cache: true });
    await auth.bus.publish({ type: 'USER_CREATED', key: 'u-200', data: { userId: 'u-200', email: 'b@example.com' } }, { cache: true });

    // The e-mail service did not exist when the users signed up: its queue has nothing.
    const email = await startService(testOptions(emailName, topology), { providers: [LateWelcomeHandler] });
    await waitFor(() => welcomed.length >= 2, { message: 'the cached sign-ups' });
    expect(welcomed.sort()).toEqual(['u-100', 'u-200']);

    // New sign-ups arrive through the queue as usual.
    await auth.bus.publish({ type: 'USER_CREATED', key: 'u-300', data: { userId: 'u-300', email: 'c@example.com' } }, { cache: true });
    await waitFor(() => welcomed.includes('u-300'), { message: 'the live sign-up' });
    await email.close();

    // After a restart the cache is read again, but the ledger knows all three were handled.
    const again = await startService(testOptions(emailName, topology), { providers: [LateWelcomeHandler] });
    services.push(again);
    const marker = await auth.bus.publish(
      { type: 'USER_CREATED', key: 'u-400', data: { userId: 'u-400', email: 'd@example.com' } },
      { cache: true },
    );
    await waitFor(() => welcomed.includes('u-400'), { message: 'the marker sign-up' });
    expect(marker.id).toBeDefined();
    expect(welcomed.sort()).toEqual(['u-100', 'u-200', 'u-300', 'u-400']);
  });
});
