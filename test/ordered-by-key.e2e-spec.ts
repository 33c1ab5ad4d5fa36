import {
  HashExchangePluginMissingError,
  PartitionCountLoweredError,
  QueueHealthService,
  type EventContext,
  type EventEnvelope,
} from 'nestjs-event-bus';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { partitionedSuite } from './support/partitioned-queues';
import { startPrivateRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const TYPE = 'ORDER_STEP';
const PARTITIONS = 6;

/** One successful handling: which instance, which partition queue, which key and step. */
interface Handled {
  instance: number;
  queue: string;
  key: string;
  step: number;
  phase: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ordered: 'byKey' across three instances", () => {
  const { topology, serviceName, queue, services, raw } = partitionedSuite('bykey', TYPE, PARTITIONS);
  const handled: Handled[] = [];
  /** Handlers running now, per key, across all instances (must never exceed 1). */
  const runningPerKey = new Map<string, number>();
  let overlaps = 0;
  let failedAttempts = 0;

  /** A handler that takes 0-4 ms, fails the first attempt of every fifth step, and records the rest. */
  const handlerOf = (instance: number) => async (event: EventEnvelope<{ step: number; phase: string }>, ctx: EventContext) => {
    const key = event.metadata.key ?? '(none)';
    const running = (runningPerKey.get(key) ?? 0) + 1;
    runningPerKey.set(key, running);
    if (running > 1) overlaps++;
    try {
      await pause(Math.floor(Math.random() * 5));
      if (event.data.step % 5 === 2 && ctx.attempt === 1) {
        failedAttempts++;
        throw new Error(`step ${event.data.step} of ${key} fails once`);
      }
      handled.push({ instance, queue: ctx.queue, key, step: event.data.step, phase: event.data.phase });
    } finally {
      runningPerKey.set(key, (runningPerKey.get(key) ?? 1) - 1);
    }
  };

  async function startInstance(instance: number): Promise<TestService> {
    const service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: {
          url: RABBITMQ_URL,
          exchange: topology.exchange,
          deadLetterExchange: topology.deadLetterExchange,
          retryCount: 3,
          retryDelay: 20,
        },
      }),
    );
    try {
      const subscription = await service.bus.subscribe(TYPE, handlerOf(instance), { ordered: 'byKey', partitions: PARTITIONS });
      expect(subscription.queue).toBe(queue);
    } catch (error) {
      // A failed start (no hash exchange plugin, say) must not leave its connections open.
      await service.close().catch(() => undefined);
      throw error;
    }
    return service;
  }

  /** Publishes `steps` events per key, key after key in turn, each publish confirmed before the next. */
  async function publishSteps(keys: readonly string[], from: number, to: number, phase: string): Promise<void> {
    for (let step = from; step < to; step++) {
      for (const key of keys) await services[0].bus.publish({ type: TYPE, key, data: { step, phase } });
    }
  }

  const ofPhase = (phase: string) => handled.filter((h) => h.phase === phase);
  const partitionsOf = (list: readonly Handled[], instance: number) =>
    new Set(list.filter((h) => h.instance === instance).map((h) => h.queue));

  beforeAll(async () => {
    // Started together, so they race for the same free partitions.
    const started = await Promise.allSettled([0, 1, 2].map((i) => startInstance(i)));
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }, 60_000);

  it('declares one queue per partition, a hash exchange, and counts the instances', async () => {
    for (let i = 0; i < PARTITIONS; i++) expect(await raw().exists(`${queue}.p${i}`)).toBe(true);
    expect(await raw().exists(queue)).toBe(false);
    const members = await raw().channel.checkQueue(`${queue}.members`);
    expect(members.consumerCount).toBe(3);
    await raw().channel.checkExchange(`${queue}.by-key`);
  });

  it('spreads the partitions over the instances, two each', async () => {
    // Rounds of keyed events until one round shows each instance on two partitions, all six covered.
    const keys = Array.from({ length: 36 }, (_, i) => `warm-${i}`);
    let round = 0;
    await waitFor(
      async () => {
        const phase = `warm-${round++}`;
        await publishSteps(keys, 0, 1, phase);
        await waitFor(() => ofPhase(phase).length === keys.length, { message: `${phase} handled` });
        const sets = [0, 1, 2].map((i) => partitionsOf(ofPhase(phase), i));
        return sets.every((s) => s.size === 2) && new Set(sets.flatMap((s) => [...s])).size === PARTITIONS;
      },
      { timeoutMs: 40_000, intervalMs: 300, message: 'two partitions per instance' },
    );
  }, 60_000);

  it('reports the partition queues as the subscription in the queue health: one consumer per partition', async () => {
    // The subscription's own queue name is never declared: before the partitions were summed, 0.
    await waitFor(async () => {
      const snapshot = await services[0].app.get(QueueHealthService).snapshot();
      return snapshot.queues.find((q) => q.queue === queue)?.consumers === PARTITIONS;
    });
  });

  it('keeps every key in publish order, retries included, while three instances work in parallel', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `order-${i}`);
    const steps = 15;
    await publishSteps(keys, 0, steps, 'main');
    await waitFor(() => ofPhase('main').length === keys.length * steps, { timeoutMs: 60_000, message: 'every event handled' });

    for (const key of keys) {
      expect(
        ofPhase('main')
          .filter((h) => h.key === key)
          .map((h) => h.step),
      ).toEqual(Array.from({ length: steps }, (_, i) => i));
      // One key, one partition.
      expect(
        new Set(
          ofPhase('main')
            .filter((h) => h.key === key)
            .map((h) => h.queue),
        ).size,
      ).toBe(1);
    }
    expect(overlaps).toBe(0);
    expect(failedAttempts).toBeGreaterThanOrEqual(keys.length * 3);
    for (const instance of [0, 1, 2]) expect(partitionsOf(ofPhase('main'), instance).size).toBeGreaterThan(0);
    expect(await raw().depth(`${queue}.dlq`)).toBe(0);
  }, 90_000);

  it('routes events without a key to one partition, none lost', async () => {
    for (let step = 0; step < 10; step++) await services[0].bus.publish({ type: TYPE, data: { step, phase: 'unkeyed' } });
    await waitFor(() => ofPhase('unkeyed').length === 10, { message: 'keyless events handled' });
    expect(ofPhase('unkeyed').map((h) => h.step)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(new Set(ofPhase('unkeyed').map((h) => h.queue)).size).toBe(1);
  });

  it('hands the partitions of a stopped instance to the others, order kept across the hand-over', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `failover-${i}`);
    const steps = 20;
    const publishing = publishSteps(keys, 0, steps, 'failover');
    // Stop instance 2 while events flow: its running handlers finish, its partitions go back.
    await waitFor(() => ofPhase('failover').some((h) => h.instance === 2), { message: 'instance 2 busy' });
    await services[2].close();
    await publishing;
    await waitFor(() => ofPhase('failover').length === keys.length * steps, { timeoutMs: 60_000, message: 'every event handled' });

    for (const key of keys) {
      expect(
        ofPhase('failover')
          .filter((h) => h.key === key)
          .map((h) => h.step),
      ).toEqual(Array.from({ length: steps }, (_, i) => i));
    }
    expect(overlaps).toBe(0);
    // After the stop, two instances own the six partitions between them, three each.
    expect((await raw().channel.checkQueue(`${queue}.members`)).consumerCount).toBe(2);
    const keysAfter = Array.from({ length: 36 }, (_, i) => `after-${i}`);
    await waitFor(
      async () => {
        const phase = `after-${handled.length}`;
        await publishSteps(keysAfter, 0, 1, phase);
        await waitFor(() => ofPhase(phase).length === keysAfter.length, { message: `${phase} handled` });
        const sets = [0, 1].map((i) => partitionsOf(ofPhase(phase), i));
        return sets.every((s) => s.size === 3) && ofPhase(phase).every((h) => h.instance !== 2);
      },
      { timeoutMs: 40_000, intervalMs: 300, message: 'three partitions per remaining instance' },
    );
  }, 120_000);
});
describe("ordered: 'byKey' refusals at subscribe time", () => {
  const { topology, serviceName, queue } = partitionedSuite('bykey-refuse', TYPE, 4);

  it('refuses fewer partitions than the queue already has, naming the queue', async () => {
    const first = await startService(testOptions(serviceName, topology));
    try {
      const sub = await first.bus.subscribe(TYPE, () => undefined, { ordered: 'byKey', partitions: 4 });
      await sub.unsubscribe();
      const error = await first.bus.subscribe(TYPE, () => undefined, { ordered: 'byKey', partitions: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartitionCountLoweredError);
      expect((error as Error).message).toContain(`partition queue ${queue}.p2 exists`);
      // More partitions are fine: the new queues join the ring.
      const more = await first.bus.subscribe(TYPE, () => undefined, { ordered: 'byKey', partitions: 4 });
      await more.unsubscribe();
    } finally {
      await first.close();
    }
  }, 30_000);

  it('refuses partitions without byKey before touching the broker', async () => {
    const service = await startService(testOptions(serviceName, topology));
    try {
      await expect(service.bus.subscribe('OTHER', () => undefined, { ordered: true, partitions: 4 })).rejects.toThrow(
        "options.partitions: only with ordered: 'byKey' (got ordered: true)",
      );
    } finally {
      await service.close();
    }
  });
});
describe("ordered: 'byKey' on a broker without the consistent-hash plugin", () => {
  const topology = uniqueTopology('bykey-noplugin');
  let broker: PrivateRabbitMq;

  beforeAll(async () => {
    broker = await startPrivateRabbitMq();
  }, 90_000);

  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('fails the subscription with how to enable the plugin, and the bus keeps its connection', async () => {
    const service = await startService(
      testOptions(uniqueName('noplugin'), topology, {
        rabbitmq: { url: broker.url, exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange },
      }),
    );
    try {
      const error = await service.bus.subscribe(TYPE, () => undefined, { ordered: 'byKey' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HashExchangePluginMissingError);
      expect((error as Error).message).toContain('rabbitmq-plugins enable rabbitmq_consistent_hash_exchange');
      expect((error as Error).message).toContain("unknown exchange type 'x-consistent-hash'");
      // The check ran on a connection of its own: the bus still publishes and consumes.
      const received: string[] = [];
      await service.bus.subscribe('PLAIN', (event) => void received.push(event.id));
      const sent = await service.bus.publish({ type: 'PLAIN', data: {} });
      await waitFor(() => received.includes(sent.id), { message: 'plain event handled' });
    } finally {
      await service.close();
    }
  }, 60_000);
});
