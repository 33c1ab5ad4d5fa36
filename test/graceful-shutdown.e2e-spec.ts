import { EventBusClosedError, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

describe('graceful shutdown on app.close()', () => {
  const topology = uniqueTopology('shutdown');
  const queues: string[] = [];
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterAll(async () => {
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  it('lets an in-flight handler finish and acks its event before closing', async () => {
    const name = uniqueName('drain');
    const queue = `${name}.SLOW`;
    queues.push(queue);
    const service = await startService(testOptions(name, topology));
    const started = deferred();
    const release = deferred();
    const finished: string[] = [];
    await service.bus.subscribe('SLOW', async (event: EventEnvelope) => {
      started.resolve();
      await release.promise;
      finished.push(event.id);
    });
    const event = await service.bus.publish({ type: 'SLOW', data: {} });
    await started.promise;

    let closed = false;
    const closing = service.close().then(() => (closed = true));
    // The close waits for the handler: give the event loop a few turns to prove it.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release.resolve();
    await closing;

    expect(finished).toEqual([event.id]);
    // Acked before the channel closed: nothing was returned to the queue.
    expect(await raw.depth(queue)).toBe(0);
  });

  it('settles every publish in progress, then refuses new ones', async () => {
    const name = uniqueName('settle');
    const queue = `${name}.BULK`;
    queues.push(queue);
    await raw.channel.assertExchange(topology.exchange, 'topic', { durable: true });
    await raw.channel.assertQueue(queue, { durable: true });
    await raw.channel.bindQueue(queue, topology.exchange, 'BULK');
    const service = await startService(testOptions(name, topology));

    const publishes = Array.from({ length: 500 }, (_, i) => service.bus.publish({ type: 'BULK', data: { i } }));
    const closing = service.close();
    const results = await Promise.allSettled(publishes);
    await closing;

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await waitFor(async () => (await raw.depth(queue)) === 500, { message: '500 confirmed messages in the queue' });
    await expect(service.bus.publish({ type: 'BULK', data: {} })).rejects.toBeInstanceOf(EventBusClosedError);
  });
});
