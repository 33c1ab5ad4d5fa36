import type { Message } from 'amqplib';
import type { EventBusOptions, EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

interface AckingChannel {
  ack(message: Message, allUpTo?: boolean): void;
}
/** amqplib's channel class (its type declarations leave it out): the spy counts the acks sent. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AmqplibChannel = (require('amqplib/lib/channel_model') as { Channel: { prototype: AckingChannel } }).Channel;

/** How the consumer acks on the real broker: together where it can, never held back by a slow handler. */
describe('acks', () => {
  const topology = uniqueTopology('acks');
  const queues: string[] = [];
  const services: TestService[] = [];
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  const start = async (name: string, prefetch: number) => {
    const service = await startService(testOptions(name, topology, { rabbitmq: { prefetch } as EventBusOptions['rabbitmq'] }));
    services.push(service);
    return service;
  };

  it('acks a burst with multiple acks, and leaves nothing to redeliver after close', async () => {
    const name = uniqueName('burst');
    const queue = `${name}.BURST`;
    queues.push(queue);
    const ackCalls: boolean[] = [];
    const ack = AmqplibChannel.prototype.ack;
    jest.spyOn(AmqplibChannel.prototype, 'ack').mockImplementation(function (this: AckingChannel, message: Message, allUpTo?: boolean) {
      ackCalls.push(allUpTo === true);
      return ack.call(this, message, allUpTo);
    });
    const service = await start(name, 100);
    const handled = new Set<string>();
    await service.bus.subscribe('BURST', (event: EventEnvelope) => void handled.add(event.id), { idempotent: false });

    await Promise.all(Array.from({ length: 300 }, (_, i) => service.bus.publish({ type: 'BURST', data: { i } })));
    await waitFor(() => handled.size === 300, { timeoutMs: 15_000 });
    await service.close();

    expect(ackCalls.filter(Boolean).length).toBeGreaterThan(0);
    expect(ackCalls.length).toBeLessThan(300);
    // Every delivery was acked before the channel closed: none went back to the queue.
    expect(await raw.depth(queue)).toBe(0);
  });

  it('acks finished events while an earlier one is still running, so the prefetch window keeps moving', async () => {
    const name = uniqueName('slow-first');
    const queue = `${name}.MIXED`;
    queues.push(queue);
    const service = await start(name, 3);
    const release = deferred();
    const handled: number[] = [];
    await service.bus.subscribe(
      'MIXED',
      async (event: EventEnvelope<{ i: number }>) => {
        if (event.data.i === 0) await release.promise;
        handled.push(event.data.i);
      },
      { idempotent: false },
    );

    for (let i = 0; i < 10; i++) await service.bus.publish({ type: 'MIXED', data: { i } });
    // Prefetch 3 with event 0 stuck: the other nine only get through if their acks are not
    // held behind event 0's.
    await waitFor(() => handled.length === 9, { timeoutMs: 10_000 });
    expect(handled).not.toContain(0);

    release.resolve();
    await waitFor(() => handled.length === 10, { timeoutMs: 10_000 });
    await service.close();
    expect(await raw.depth(queue)).toBe(0);
  });
});
