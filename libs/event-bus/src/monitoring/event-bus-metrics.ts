import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';
import { queueDepths } from '../amqp/temporary-channel';
import { SubscriptionRegistry } from '../consuming/subscription-registry';
import { EVENT_BUS_AMQP_CONNECTION } from '../event-bus.constants';
import { EventBusStats } from './event-bus-stats';

/** Handler-time buckets in seconds: from sub-millisecond handlers to slow ones. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of the bus, registered in the registry you choose:
 * `event_bus_events_published_total{type}`,
 * `event_bus_events_consumed_total{queue,outcome}` (handled, duplicate, retried, dead-lettered, failed),
 * `event_bus_handler_duration_seconds{queue}`,
 * `event_bus_queue_messages_ready{queue}` and `event_bus_dead_letter_queue_messages{queue}`
 * (read from the broker at scrape time).
 */
@Injectable()
export class EventBusMetrics {
  private readonly registered = new WeakSet<Registry>();

  constructor(
    private readonly stats: EventBusStats,
    private readonly registry: SubscriptionRegistry,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: AmqpConnection,
  ) {}

  /** Registers the metrics in `registry` (prom-client's default one if omitted); once per registry. */
  register(registry: Registry = defaultRegistry): void {
    if (this.registered.has(registry)) return;
    this.registered.add(registry);
    const registers = [registry];
    const published = new Counter({ name: 'event_bus_events_published_total', help: 'Events published and confirmed by the broker', labelNames: ['type'], registers });
    const consumed = new Counter({ name: 'event_bus_events_consumed_total', help: 'Deliveries by outcome', labelNames: ['queue', 'outcome'], registers });
    const duration = new Histogram({ name: 'event_bus_handler_duration_seconds', help: 'Time spent in successful handler calls', labelNames: ['queue'], buckets: DURATION_BUCKETS, registers });
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
    const connection = this.connection;
    new Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      async collect(this: Gauge<'queue'>) {
        const specs = subscriptions.subscriptions();
        const depths = await queueDepths(connection, specs.map((s) => s[pick])).catch(() => undefined);
        this.reset();
        for (const spec of specs) {
          const depth = depths?.get(spec[pick]);
          if (depth) this.set({ queue: spec.queue }, depth.messages);
        }
      },
    });
  }
}
