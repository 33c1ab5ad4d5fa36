import type { EventContext, EventEnvelope } from 'nestjs-event-bus';
import { PartitionWorker } from 'nestjs-event-bus/consuming/partition-worker';
import type { BoundSubscription } from 'nestjs-event-bus/consuming/bound-subscription';
import type { EventBusLogger } from 'nestjs-event-bus/logging/event-bus-logger';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { closeConnectionsOf, partitionedSuite } from './support/partitioned-queues';
import { RawAmqp } from './support/raw-amqp';
import { RABBITMQ_URL, uniqueName } from './support/test-names';
import { waitFor } from './support/wait-for';

const TYPE = 'ORDER_STEP';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ordered: 'byKey' rebalancing while handlers run", () => {
  const { topology, serviceName, services } = partitionedSuite('bykey-rebalance', TYPE, 2);

  it('hands a partition to a joining instance only once its running handler has finished', async () => {
    const handled: Array<{ instance: number; key: string; step: number }> = [];
    const running = new Map<string, number>();
    let overlaps = 0;
    const start = async (instance: number) => {
      const service = await startService(testOptions(serviceName, topology));
      services.push(service);
      // No ledger here: nothing may hide a second delivery of an event still being handled.
      await service.bus.subscribe(
        TYPE,
        async (event: EventEnvelope<{ step: number }>) => {
          const key = event.metadata.key ?? '';
          running.set(key, (running.get(key) ?? 0) + 1);
          if ((running.get(key) ?? 0) > 1) overlaps++;
          await pause(150);
          running.set(key, (running.get(key) ?? 1) - 1);
          handled.push({ instance, key, step: event.data.step });
        },
        { ordered: 'byKey', partitions: 2, idempotent: false },
      );
    };
    await start(0);
    const keys = Array.from({ length: 8 }, (_, i) => `slow-${i}`);
    const steps = 5;
    for (let step = 0; step < steps; step++) {
      for (const key of keys) await services[0].bus.publish({ type: TYPE, key, data: { step } });
    }
    await waitFor(() => handled.length >= 2, { message: 'first events handled' });
    // The newcomer makes instance 0 hand one of its two partitions over in the middle of the stream.
    await start(1);
    await waitFor(() => handled.length >= keys.length * steps, { timeoutMs: 60_000, message: 'every event handled' });

    for (const key of keys) {
      expect(handled.filter((h) => h.key === key).map((h) => h.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
    }
    expect(handled).toHaveLength(keys.length * steps);
    expect(overlaps).toBe(0);
    expect(handled.some((h) => h.instance === 1)).toBe(true);
  }, 90_000);
});
describe("ordered: 'byKey' after a lost connection", () => {
  const { topology, serviceName, queue, services, raw } = partitionedSuite('bykey-reconnect', TYPE, 3);
  let service: TestService;

  beforeAll(async () => {
    service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: { url: RABBITMQ_URL, exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange, heartbeat: 1 },
      }),
    );
    services.push(service);
  });

  it('claims its partitions again once reconnected, and goes on in order', async () => {
    const handled: Array<{ key: string; step: number }> = [];
    await service.bus.subscribe(
      TYPE,
      (event: EventEnvelope<{ step: number }>) => void handled.push({ key: event.metadata.key ?? '', step: event.data.step }),
      {
        ordered: 'byKey',
        partitions: 3,
      },
    );
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const key of keys) await service.bus.publish({ type: TYPE, key, data: { step: 0 } });
    await waitFor(() => handled.length === keys.length, { message: 'first events handled' });

    expect(await closeConnectionsOf(serviceName)).toBeGreaterThan(0);
    // Published while the bus reconnects: buffered, then sent once the partitions are declared again.
    for (const key of keys) await service.bus.publish({ type: TYPE, key, data: { step: 1 } });
    await waitFor(() => handled.length === keys.length * 2, { timeoutMs: 30_000, message: 'events after the reconnect handled' });
    for (const key of keys) expect(handled.filter((h) => h.key === key).map((h) => h.step)).toEqual([0, 1]);
    for (let i = 0; i < 3; i++) {
      await waitFor(async () => (await raw().channel.checkQueue(`${queue}.p${i}.owner`)).consumerCount === 1, {
        message: `partition ${i} owned again`,
      });
    }
  }, 60_000);
});
describe("ordered: 'byKey' on quorum queues", () => {
  const { topology, serviceName, queue, services, raw } = partitionedSuite('bykey-quorum', TYPE, 4);

  it('keeps each key in order over quorum partition queues shared by two instances', async () => {
    const handled: Array<{ key: string; step: number }> = [];
    const options = testOptions(serviceName, topology, {
      rabbitmq: {
        url: RABBITMQ_URL,
        exchange: topology.exchange,
        deadLetterExchange: topology.deadLetterExchange,
        queueType: 'quorum',
        retryDelay: 20,
      },
    });
    for (let i = 0; i < 2; i++) {
      const service = await startService(options);
      services.push(service);
      await service.bus.subscribe(
        TYPE,
        async (event: EventEnvelope<{ step: number }>, ctx: EventContext) => {
          await pause(Math.floor(Math.random() * 3));
          if (event.data.step % 4 === 1 && ctx.attempt === 1) throw new Error('fails once');
          handled.push({ key: event.metadata.key ?? '', step: event.data.step });
        },
        { ordered: 'byKey', partitions: 4 },
      );
    }
    const keys = Array.from({ length: 12 }, (_, i) => `q-${i}`);
    for (let step = 0; step < 8; step++) for (const key of keys) await services[0].bus.publish({ type: TYPE, key, data: { step } });
    await waitFor(() => handled.length === keys.length * 8, { timeoutMs: 30_000, message: 'every event handled' });
    for (const key of keys) expect(handled.filter((h) => h.key === key).map((h) => h.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (let i = 0; i < 4; i++) expect((await raw().channel.checkQueue(`${queue}.p${i}.owner`)).consumerCount).toBe(1);
  }, 60_000);
});
describe('partition ownership', () => {
  const queue = uniqueName('bykey-owner');
  let raw: RawAmqp;
  const connections: RawAmqp[] = [];

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    await raw.channel.assertQueue(`${queue}.p0`, { durable: false, arguments: { 'x-single-active-consumer': true } });
    await raw.channel.assertQueue(`${queue}.p0.owner`, { durable: false });
    for (let i = 0; i < 4; i++) connections.push(await RawAmqp.connect());
  });

  afterAll(async () => {
    for (const c of connections) await c.close();
    await raw.cleanup({ queues: [`${queue}.p0`, `${queue}.p0.owner`] });
    await raw.close();
  });

  function worker(handled: string[]): PartitionWorker {
    const spec = { type: TYPE, queue: `${queue}.p0`, handlerName: 'test' } as BoundSubscription;
    return new PartitionWorker(spec, `${queue}.p0.owner`, {
      pipeline: async (event) => void handled.push(event.message.content.toString()),
      report: () => undefined,
      // Refused claims are logged at debug level: not worth printing here.
      logger: { debug: () => undefined, warn: () => undefined, error: () => undefined } as unknown as EventBusLogger,
    });
  }

  it('grants a partition to one of several instances claiming it at once, the next one after a release', async () => {
    const handled: string[][] = connections.map(() => []);
    const workers = connections.map((_, i) => worker(handled[i]));
    const claims = await Promise.all(workers.map((w, i) => w.claim(connections[i].connection)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const owner = claims.indexOf(true);
    expect((await raw.channel.checkQueue(`${queue}.p0.owner`)).consumerCount).toBe(1);

    await raw.publish('', `${queue}.p0`, 'first');
    await waitFor(() => handled[owner].includes('first'), { message: 'owner handles' });
    expect(await workers[owner].release()).toBe(true);
    expect((await raw.channel.checkQueue(`${queue}.p0.owner`)).consumerCount).toBe(0);

    const next = (owner + 1) % workers.length;
    expect(await workers[next].claim(connections[next].connection)).toBe(true);
    await raw.publish('', `${queue}.p0`, 'second');
    await waitFor(() => handled[next].includes('second'), { message: 'next owner handles' });
    expect(handled[owner]).toEqual(['first']);
    expect(handled[next]).toEqual(['second']);
    expect(handled.flat()).toHaveLength(2);
    await workers[next].stop(1_000);
  });
});
