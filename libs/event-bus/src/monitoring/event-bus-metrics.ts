import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';
import type { SubscriptionDirectory } from '../consuming/subscription-directory.interface';
import { EVENT_BUS_SUBSCRIPTIONS, EVENT_BUS_TRANSPORT } from '../event-bus.constants';
import { EventBusStats } from '../stats/event-bus-stats';
import { recordOutcome } from '../telemetry/otel-metrics';
import type { EventTransport } from '../transport/event-transport.interface';

/** Handler-time buckets in seconds: from sub-millisecond handlers to slow ones. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of the bus, registered in the registry you choose:
 * `event_bus_events_published_total{type}`,
 * `event_bus_events_consumed_total{queue,outcome}` (handled, duplicate, retried, dead-lettered, failed),
 * `event_bus_handler_duration_seconds{queue}`,
 * `event_bus_queue_messages_ready{queue}` and `event_bus_dead_letter_queue_messages{queue}`
 * (read from the broker at scrape time).
 *
 * The same observations go to the OpenTelemetry meter provider, when one is registered,
 * without calling `register()`: the messaging conventions' metrics from the publish and consume
 * paths, and `event_bus.retries`, `event_bus.dead_letters` and `event_bus.ledger.hits` from here
 * (docs/observability.md).
 */
@Injectable()
export class EventBusMetrics {
  private readonly registered = new WeakSet<Registry>();

  constructor(
    private readonly stats: EventBusStats,
    @Inject(EVENT_BUS_SUBSCRIPTIONS) private readonly registry: SubscriptionDirectory,
    @Inject(EVENT_BUS_TRANSPORT) private readonly transport: EventTransport,
  ) {
    stats.addListener({
      consumed: (queue, outcome) => {
        if (outcome === 'retried' || outcome === 'dead-lettered' || outcome === 'duplicate') recordOutcome(queue, outcome);
      },
    });
  }

  /** Registers the metrics in `registry` (prom-client's default one if omitted); once per registry. */
  register(registry: Registry = defaultRegistry): void {
    if (this.registered.has(registry)) return;
    this.registered.add(registry);
    const registers = [registry];
    const published = new Counter({
      name: 'event_bus_events_published_total',
      help: 'Events published and confirmed by the broker',
      labelNames: ['type'],
      registers,
    });
    const consumed = new Counter({
      name: 'event_bus_events_consumed_total',
      help: 'Deliveries by outcome',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    const duration = new Histogram({
      name: 'event_bus_handler_duration_seconds',
      help: 'Time spent in successful handler calls',
      labelNames: ['queue'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.stats.addListener({
      published: (type) => published.inc({ type }),
      consumed: (queue, outcome) => consumed.inc({ queue, outcome }),
      handlerDuration: (queue, seconds) => duration.observe({ queue }, seconds),
    });
    this.depthGauge(registry, 'event_bus_queue_messages_ready', 'Messages ready in each handler queue', 'queue');
    this.depthGauge(registry, 'event_bus_dead_letter_queue_messages', 'Dead letters waiting per handler queue', 'deadLetterQueue');
  }

  /** A gauge filled from passive queue checks each time it is scraped. */
  private depthGauge(registry: Registry, name: string, help: string, pick: 'queue' | 'deadLetterQueue'): void {
    const subscriptions = this.registry;
    const transport = this.transport;
    new Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      async collect(this: Gauge<'queue'>) {
        const specs = subscriptions.subscriptions();
        const depths = await transport.queueDepths(specs.map((s) => s[pick])).catch(() => undefined);
        this.reset();
        for (const spec of specs) {
          const depth = depths?.get(spec[pick]);
          if (depth) this.set({ queue: spec.queue }, depth.messages);
        }
      },
    });
  }
}
