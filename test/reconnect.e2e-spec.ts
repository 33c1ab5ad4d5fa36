import type { EventEnvelope } from 'nestjs-event-bus';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { startPrivateRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * Connection loss against a private broker node: the shared broker is never disturbed.
 * Every publish that resolved must be handled; consumers must come back by themselves.
 */
describe('connection loss', () => {
  const topology = uniqueTopology('reconnect');
  let broker: PrivateRabbitMq;
  let consumer: TestService;
  let publisher: TestService;
  const handled = new Map<string, number>();

  beforeAll(async () => {
    broker = await startPrivateRabbitMq();
    const options = (name: string) =>
      testOptions(name, topology, {
        rabbitmq: { url: broker.url, exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange, heartbeat: 1 },
      });
    consumer = await startService(options(uniqueName('consumer')));
    publisher = await startService(options(uniqueName('publisher')));
    await consumer.bus.subscribe('TICK', (event: EventEnvelope) => {
      handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await broker?.stop();
  }, 60_000);

  it('settles pending publishes and resumes consumers after close_all_connections, losing nothing', async () => {
    const confirmed: string[] = [];
    const failures: unknown[] = [];
    const total = 3000;
    const inFlight = new Set<Promise<void>>();
    let drops = 0;

    for (let i = 0; i < total; i++) {
      const p: Promise<void> = publisher.bus
        .publish({ type: 'TICK', data: { i } })
        .then(
          (e) => void confirmed.push(e.id),
          (err) => void failures.push(err),
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      // Keep a few hundred in flight, and pull the connections from under them three times.
      if (inFlight.size >= 300) await Promise.race(inFlight);
      if (i > 0 && i % 900 === 0) {
        await broker.closeAllConnections('test: connection loss');
        drops++;
      }
    }
    await Promise.all(inFlight);

    expect(drops).toBe(3);
    expect(failures).toEqual([]);
    expect(confirmed).toHaveLength(total);
    await waitFor(() => confirmed.every((id) => handled.has(id)), {
      timeoutMs: 60_000,
      message: 'every confirmed event to be handled',
    });

    // Still consuming after the last drop.
    const marker = await publisher.bus.publish({ type: 'TICK', data: { marker: true } });
    await waitFor(() => handled.has(marker.id), { message: 'the marker after reconnecting' });
  }, 120_000);
});
