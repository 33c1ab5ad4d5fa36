import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SubscriptionDirectory } from '../consuming/subscription-directory.interface';
import type { BoundSubscription } from '../consuming/bound-subscription';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_SUBSCRIPTIONS, EVENT_BUS_TRANSPORT } from '../event-bus.constants';
import type { DeadLetterAlert } from '../interfaces/event-bus-options.interface';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { EventTransport } from '../transport/event-transport.interface';
import { EventBusStats } from '../stats/event-bus-stats';

/** The alert state of one dead-letter queue after the latest check. */
export interface DeadLetterState {
  depth: number;
  threshold?: number;
  alerting: boolean;
}

/**
 * Watches the dead-letter queues of this service's subscriptions: a periodic check plus one
 * right after each local dead-lettering (dead letters from other instances show up at the
 * next periodic check). Crossing the threshold logs one warning and calls the user's hook
 * once; the queue counts as down until its DLQ falls below the threshold again.
 */
@Injectable()
export class DeadLetterMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly states = new Map<string, DeadLetterState>();
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private readonly logger: EventBusLogger;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_TRANSPORT) private readonly transport: EventTransport,
    @Inject(EVENT_BUS_SUBSCRIPTIONS) private readonly registry: SubscriptionDirectory,
    stats: EventBusStats,
  ) {
    this.logger = new EventBusLogger('EventBus:Monitor', options.secrets);
    stats.addListener({ consumed: (queue, outcome) => outcome === 'dead-lettered' && this.soon(queue) });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), this.options.monitoring.checkInterval);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** State of a queue's DLQ as of the latest check. */
  stateOf(queue: string): DeadLetterState | undefined {
    return this.states.get(queue);
  }

  /** Checks the given subscriptions' DLQs now (all when none given); resolves when done. */
  async check(queues?: readonly string[]): Promise<void> {
    await this.checking;
    const specs = this.registry.subscriptions().filter((s) => !queues || queues.includes(s.queue));
    this.checking = this.run(specs).catch((err: Error) => this.logger.warn(`Dead-letter check failed: ${err.message}`));
    await this.checking;
  }

  private soon(queue: string): void {
    if (this.pending.has(queue)) return;
    this.pending.add(queue);
    setImmediate(() => {
      this.pending.delete(queue);
      void this.check([queue]);
    });
  }

  private thresholdOf(spec: BoundSubscription): number | undefined {
    return spec.options.deadLetterThreshold ?? this.options.monitoring.deadLetterThreshold;
  }

  private async run(specs: readonly BoundSubscription[]): Promise<void> {
    if (specs.length === 0) return;
    const depths = await this.transport.queueDepths([...new Set(specs.map((s) => s.deadLetterQueue))]);
    for (const spec of specs) {
      const depth = depths.get(spec.deadLetterQueue)?.messages ?? 0;
      const threshold = this.thresholdOf(spec);
      const was = this.states.get(spec.queue)?.alerting ?? false;
      const alerting = threshold !== undefined && depth >= threshold;
      this.states.set(spec.queue, { depth, threshold, alerting });
      if (alerting && !was)
        await this.raise({
          queue: spec.queue,
          deadLetterQueue: spec.deadLetterQueue,
          depth,
          threshold: threshold!,
          at: new Date().toISOString(),
        });
      if (!alerting && was) this.logger.log(`Dead-letter queue ${spec.deadLetterQueue} is back below its threshold`, { depth, threshold });
    }
  }

  private async raise(alert: DeadLetterAlert): Promise<void> {
    this.logger.warn(`Dead-letter queue ${alert.deadLetterQueue} holds ${alert.depth} message(s), threshold ${alert.threshold}`, {
      ...alert,
    });
    try {
      await this.options.monitoring.onDeadLetterThreshold?.(alert);
    } catch (err) {
      this.logger.error(`onDeadLetterThreshold hook failed: ${(err as Error).message}`);
    }
  }
}
