import {
  NonRetryableError,
  EventBusHealthIndicator,
  EventBusMetrics,
  QueueHealthService,
  type DeadLetterAlert,
  type EventEnvelope,
} from 'nestjs-event-bus';
import { Registry } from 'prom-client';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

describe('queue health, dead-letter alerts and metrics', () => {
  const topology = uniqueTopology('health');
  const name = uniqueName('health');
  const alerts: DeadLetterAlert[] = [];
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(
      testOptions(name, topology, {
        rabbitmq: {
          url: RABBITMQ_URL,
          exchange: topology.exchange,
          deadLetterExchange: topology.deadLetterExchange,
          retryCount: 1,
          retryDelay: 20,
        },
        monitoring: { deadLetterThreshold: 100, onDeadLetterThreshold: (alert) => void alerts.push(alert) },
      }),
    );
  });

  afterAll(async () => {
    await service.close();
    const queues = ['ORDERS', 'SLOW'].map((t) => `${name}.${t}`);
    await raw.cleanup({
      queues: queues.flatMap((q) => [q, `${q}.dlq`, `${q}.retry.20`]),
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
    await raw.close();
  });

  it('reports handled, failed, retried and dead-lettered counts, DLQ depth and handler times that match the traffic', async () => {
    const registry = new Registry();
    service.app.get(EventBusMetrics).register(registry);
    const sub = await service.bus.subscribe(
      'ORDERS',
      (event: EventEnvelope<{ poison?: boolean; fatal?: boolean }>) => {
        if (event.data.fatal) throw new NonRetryableError('bad order');
        if (event.data.poison) throw new Error('always fails');
      },
      { deadLetterThreshold: 3 },
    );
    for (let i = 0; i < 20; i++) await service.bus.publish({ type: 'ORDERS', data: {} });
    await service.bus.publish({ type: 'ORDERS', data: { poison: true } }); // 2 attempts, then DLQ
    await service.bus.publish({ type: 'ORDERS', data: { fatal: true } }); // 1 attempt, DLQ
    await service.bus.publish({ type: 'ORDERS', data: { fatal: true } });

    const health = service.app.get(QueueHealthService);
    await waitFor(async () => (await raw.depth(`${sub.queue}.dlq`)) === 3, { message: 'three dead letters' });
    const snapshot = await health.snapshot();
    const orders = snapshot.queues.find((q) => q.queue === sub.queue)!;
    expect(orders).toMatchObject({
      type: 'ORDERS',
      handled: 20,
      failed: 4,
      retried: 1,
      deadLettered: 3,
      duplicates: 0,
      deadLetterDepth: 3,
      deadLetterThreshold: 3,
      consumers: 1,
      inFlight: 0,
      messagesReady: 0,
      status: 'down',
    });
    expect(orders.handlerMs.p50).toBeGreaterThanOrEqual(0);
    expect(orders.handlerMs.p99).toBeGreaterThanOrEqual(orders.handlerMs.p50);
    expect(snapshot).toMatchObject({ status: 'down', rabbitmq: 'up', redis: 'up' });

    // Crossing the threshold raised exactly one alert, however many checks ran since.
    await health.snapshot();
    expect(alerts).toEqual([expect.objectContaining({ queue: sub.queue, deadLetterQueue: `${sub.queue}.dlq`, depth: 3, threshold: 3 })]);
    const indicator = await service.app.get(EventBusHealthIndicator).isHealthy('bus');
    expect(indicator.bus.status).toBe('down');
    expect((indicator.bus.queues as Record<string, { status: string }>)[sub.queue].status).toBe('down');

    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`event_bus_events_consumed_total\\{queue="${sub.queue}",outcome="handled"\\} 20`));
    expect(text).toMatch(new RegExp(`event_bus_events_consumed_total\\{queue="${sub.queue}",outcome="dead-lettered"\\} 3`));
    expect(text).toMatch(/event_bus_events_published_total\{type="ORDERS"\} 23/);
    expect(text).toMatch(new RegExp(`event_bus_dead_letter_queue_messages\\{queue="${sub.queue}"\\} 3`));
    expect(text).toMatch(new RegExp(`event_bus_handler_duration_seconds_count\\{queue="${sub.queue}"\\} 20`));

    // Emptying the DLQ clears the alert; the next crossing alerts again.
    await raw.channel.purgeQueue(`${sub.queue}.dlq`);
    expect((await health.snapshot()).queues.find((q) => q.queue === sub.queue)!.status).toBe('up');
  });

  it('reports the depth of a queue whose consumer is stuck', async () => {
    const release = deferred();
    const started = deferred();
    const sub = await service.bus.subscribe(
      'SLOW',
      async () => {
        started.resolve();
        await release.promise;
      },
      { prefetch: 1 },
    );
    for (let i = 0; i < 6; i++) await service.bus.publish({ type: 'SLOW', data: { i } });
    await started.promise;
    const health = service.app.get(QueueHealthService);
    await waitFor(async () => (await health.snapshot()).queues.find((q) => q.queue === sub.queue)!.messagesReady === 5, {
      message: 'five messages waiting behind the stuck one',
    });
    expect((await health.snapshot()).queues.find((q) => q.queue === sub.queue)!.inFlight).toBe(1);
    release.resolve();
    await waitFor(async () => (await health.snapshot()).queues.find((q) => q.queue === sub.queue)!.handled === 6, {
      message: 'all handled',
    });
    const drained = (await health.snapshot()).queues.find((q) => q.queue === sub.queue)!;
    expect(drained).toMatchObject({ messagesReady: 0, inFlight: 0 });
  });
});
