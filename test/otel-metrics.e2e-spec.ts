import { metrics } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RawAmqp } from './support/raw-amqp';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** Collects on demand: the test reads the meter provider's state whenever it wants. */
class OnDemandReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('OpenTelemetry metrics', () => {
  const topology = uniqueTopology('otelm');
  const serviceName = uniqueName('otelm');
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const queues: string[] = [];
  let service: TestService;
  let raw: RawAmqp;

  async function metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .filter((s) => s.scope.name === 'nestjs-event-bus')
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === name);
  }

  /** Sum of a counter's points whose attributes include `match`. */
  async function count(name: string, match: Record<string, unknown>): Promise<number> {
    const points = ((await metric(name))?.dataPoints ?? []) as DataPoint<number>[];
    return points.filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + p.value, 0);
  }

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(provider);
    raw = await RawAmqp.connect();
    service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: {
          url: RABBITMQ_URL,
          exchange: topology.exchange,
          deadLetterExchange: topology.deadLetterExchange,
          retryDelay: 50,
          retryCount: 1,
        },
      }),
    );
  });

  afterAll(async () => {
    await service?.close();
    await raw.cleanupTopology(topology, queues);
    await raw.close();
    metrics.disable();
    await provider.shutdown();
  });

  it('records publishes, handler attempts, retries, dead letters and ledger hits under the convention names', async () => {
    const handled: string[] = [];
    const ok = await service.bus.subscribe('M_OK', (e) => void handled.push(e.id));
    const flaky = await service.bus.subscribe('M_FLAKY', (e, ctx) => {
      if (ctx.attempt === 1) throw new TypeError('first attempt fails');
      handled.push(e.id);
    });
    const poison = await service.bus.subscribe('M_POISON', () => {
      throw new RangeError('never works');
    });
    queues.push(ok.queue, flaky.queue, poison.queue);

    const first = await service.bus.publish({ type: 'M_OK', data: {} });
    await service.bus.publish({ type: 'M_OK', data: {}, id: first.id }); // same id: a ledger hit
    const retried = await service.bus.publish({ type: 'M_FLAKY', data: {} });
    await service.bus.publish({ type: 'M_POISON', data: {} });
    await waitFor(() => handled.includes(first.id) && handled.includes(retried.id), { message: 'handlers' });
    await waitFor(async () => (await count('event_bus.dead_letters', {})) === 1 && (await count('event_bus.ledger.hits', {})) === 1, {
      message: 'dead letter and ledger hit counted',
    });

    const sent = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': topology.exchange };
    expect(await count('messaging.client.sent.messages', { ...sent, 'rabbitmq.destination.routing_key': 'M_OK' })).toBe(2);
    expect(await count('messaging.client.sent.messages', sent)).toBe(4);
    // Two deliveries of M_OK and of M_FLAKY (the retry comes back through its wait queue), two of M_POISON.
    expect(await count('messaging.client.consumed.messages', { 'messaging.destination.subscription.name': ok.queue })).toBe(2);
    expect(await count('messaging.client.consumed.messages', { 'messaging.destination.subscription.name': flaky.queue })).toBe(2);
    expect(await count('event_bus.retries', { 'event_bus.queue': flaky.queue })).toBe(1);
    expect(await count('event_bus.retries', { 'event_bus.queue': poison.queue })).toBe(1);
    expect(await count('event_bus.dead_letters', { 'event_bus.queue': poison.queue })).toBe(1);
    expect(await count('event_bus.ledger.hits', { 'event_bus.queue': ok.queue })).toBe(1);

    const publishDuration = await metric('messaging.client.operation.duration');
    expect(publishDuration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(publishDuration?.descriptor.unit).toBe('s');
    const process = (await metric('messaging.process.duration'))!.dataPoints as DataPoint<Histogram>[];
    const failedFlaky = process.find(
      (p) => p.attributes['messaging.destination.subscription.name'] === flaky.queue && p.attributes['error.type'] === 'TypeError',
    );
    expect(failedFlaky?.value.count).toBe(1);
    const poisonFailures = process.filter((p) => p.attributes['error.type'] === 'RangeError').reduce((n, p) => n + p.value.count, 0);
    expect(poisonFailures).toBe(2);
  });
});
