import { Injectable } from '@nestjs/common';
import {
  DeadLetterService,
  NonRetryableError,
  OnEvent,
  QueueHealthService,
  RedisNotConfiguredError,
  type EventBusOptions,
  type EventContext,
  type EventEnvelope,
} from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** Module options of a service on the shared broker with no `redis` at all. */
function withoutRedis(serviceName: string, topology: ReturnType<typeof uniqueTopology>): EventBusOptions {
  const { redis: _none, ...options } = testOptions(serviceName, topology);
  return options;
}

/** A bus set up without Redis: retries and dead letters, no ledger, no cache. */
describe('EventBusModule without redis', () => {
  const topology = uniqueTopology('no-redis');
  const name = uniqueName('no-redis');
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(withoutRedis(name, topology));
  });

  afterAll(async () => {
    await service?.close();
    const queues = ['FLAKY', 'POISON', 'TWICE', 'NOT_SENT'].map((t) => `${name}.${t}`);
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  it('retries and dead-letters as ever', async () => {
    const attempts: number[] = [];
    await service.bus.subscribe('FLAKY', (_e: EventEnvelope, ctx: EventContext) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error('not yet');
    });
    await service.bus.subscribe('POISON', () => {
      throw new NonRetryableError('never');
    });
    await service.bus.publish({ type: 'FLAKY', data: {} });
    await service.bus.publish({ type: 'POISON', data: {} });
    await waitFor(() => attempts.includes(3), { message: 'the third attempt' });
    expect(attempts).toEqual([1, 2, 3]);
    const deadLetters = service.app.get(DeadLetterService);
    await waitFor(async () => (await deadLetters.count(`${name}.POISON`)) === 1, { message: 'the dead letter' });
    const [letter] = await deadLetters.list(`${name}.POISON`);
    expect(letter.error).toBe('never');
  });

  it('has no ledger: handlers default to idempotent: false, so a resent event runs again', async () => {
    const seen: string[] = [];
    await service.bus.subscribe('TWICE', (event: EventEnvelope) => void seen.push(event.id));
    await service.bus.publish({ type: 'TWICE', id: 'same-id', data: {} });
    await service.bus.publish({ type: 'TWICE', id: 'same-id', data: {} });
    await waitFor(() => seen.length === 2, { message: 'both copies handled' });
    expect(seen).toEqual(['same-id', 'same-id']);
  });

  it('refuses what needs Redis, clearly, before anything is bound or sent', async () => {
    const seen: string[] = [];
    await service.bus.subscribe('NOT_SENT', (event: EventEnvelope) => void seen.push(event.id));
    await expect(service.bus.subscribe('X', () => undefined, { idempotent: true })).rejects.toThrow(
      /options.idempotent: idempotent: true needs Redis/,
    );
    await expect(service.bus.subscribe('X', () => undefined, { useCache: true })).rejects.toThrow(
      /options.useCache: useCache: true needs Redis/,
    );
    await expect(service.bus.publish({ type: 'NOT_SENT', id: 'refused', data: {} }, { cache: true })).rejects.toBeInstanceOf(
      RedisNotConfiguredError,
    );
    await service.bus.publish({ type: 'NOT_SENT', id: 'after', data: {} });
    await waitFor(() => seen.includes('after'), { message: 'the event published after the refused one' });
    expect(seen).toEqual(['after']);
    await expect(service.bus.getLatest('ANY')).rejects.toThrow(/getLatest\(\) needs Redis, but EventBusModule has no redis option/);
    expect(await raw.exists(`${name}.X`)).toBe(false);
  });

  it('reports Redis as disabled, not down, in health', async () => {
    const snapshot = await service.app.get(QueueHealthService).snapshot();
    expect(snapshot.redis).toBe('disabled');
    expect(snapshot.rabbitmq).toBe('up');
  });

  it('refuses @OnEvent handlers asking for the ledger or the cache at bootstrap, naming each', async () => {
    @Injectable()
    class NeedsRedis {
      @OnEvent('A', { idempotent: true })
      a(): void {}

      @OnEvent('B', { useCache: true })
      b(): void {}
    }
    const error = await startService(withoutRedis(uniqueName('no-redis-onevent'), topology), { providers: [NeedsRedis] }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(/@OnEvent\(A\) on NeedsRedis\.a\.idempotent: idempotent: true needs Redis/);
    expect(error?.message).toMatch(/@OnEvent\(B\) on NeedsRedis\.b\.useCache: useCache: true needs Redis/);
  });
});
