import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionDirectory } from '../consuming/subscription-directory.interface';
import { EVENT_BUS_STATE, EVENT_BUS_SUBSCRIPTIONS, EVENT_BUS_TRANSPORT } from '../event-bus.constants';
import type { EventBusState } from '../state/event-bus-state.interface';
import { DeadLetterMonitor } from './dead-letter-monitor';
import { EventBusStats, type HandlerTimes, type QueueCounters } from '../stats/event-bus-stats';
import type { EventTransport, QueueDepth } from '../transport/event-transport.interface';
import { consumedQueues } from '../topology/consumed-queues';

/** Health of one of this service's queues. */
export interface QueueHealth extends QueueCounters {
  queue: string;
  type: string;
  handler: string;
  /** Messages ready in the queue (not counting those being handled). */
  messagesReady: number;
  consumers: number;
  /** Deliveries this instance is handling now (taken from the queue, not yet settled). */
  inFlight: number;
  deadLetterDepth: number;
  deadLetterThreshold?: number;
  /** `down` while the DLQ is at or above its threshold. */
  status: 'up' | 'down';
  handlerMs: HandlerTimes;
}

/** Health of the bus as a whole. */
export interface EventBusHealthSnapshot {
  status: 'up' | 'down';
  rabbitmq: 'up' | 'down';
  /** `disabled` when the bus runs without Redis. */
  redis: 'up' | 'down' | 'disabled';
  queues: QueueHealth[];
}

/**
 * Queue health from the broker's own passive queue checks (no management plugin needed) and
 * this process's counters: depths, consumers, dead letters, outcomes, handler times.
 */
@Injectable()
export class QueueHealthService {
  constructor(
    @Inject(EVENT_BUS_TRANSPORT) private readonly transport: EventTransport,
    @Inject(EVENT_BUS_STATE) private readonly state: EventBusState,
    @Inject(EVENT_BUS_SUBSCRIPTIONS) private readonly registry: SubscriptionDirectory,
    private readonly stats: EventBusStats,
    private readonly monitor: DeadLetterMonitor,
  ) {}

  /** A fresh snapshot: every queue of this service is checked on the broker now. */
  async snapshot(): Promise<EventBusHealthSnapshot> {
    const rabbitmq = this.transport.isConnected() ? 'up' : 'down';
    const redis = !this.state.enabled ? 'disabled' : (await this.state.isAvailable()) ? 'up' : 'down';
    const specs = this.registry.subscriptions();
    let depths = new Map<string, QueueDepth | undefined>();
    if (rabbitmq === 'up') {
      await this.monitor.check();
      const queried = specs.flatMap((s) => [...consumedQueues(s.queue, s.options), s.deadLetterQueue]);
      depths = await this.transport.queueDepths(queried).catch(() => depths);
    }
    // An `ordered: 'byKey'` subscription waits in its partition queues: their sum is its depth.
    const total = (queues: string[], field: keyof QueueDepth): number =>
      queues.reduce((sum, queue) => sum + (depths.get(queue)?.[field] ?? 0), 0);
    const queues = specs.map((spec): QueueHealth => {
      const dead = this.monitor.stateOf(spec.queue);
      const waiting = consumedQueues(spec.queue, spec.options);
      return {
        queue: spec.queue,
        type: spec.type,
        handler: spec.handlerName,
        messagesReady: total(waiting, 'messages'),
        consumers: total(waiting, 'consumers'),
        inFlight: this.registry.inFlight(spec.queue),
        deadLetterDepth: depths.get(spec.deadLetterQueue)?.messages ?? dead?.depth ?? 0,
        deadLetterThreshold: dead?.threshold,
        status: dead?.alerting ? 'down' : 'up',
        ...this.stats.queue(spec.queue),
      };
    });
    const down = rabbitmq === 'down' || redis === 'down' || queues.some((q) => q.status === 'down');
    return { status: down ? 'down' : 'up', rabbitmq, redis, queues };
  }
}
