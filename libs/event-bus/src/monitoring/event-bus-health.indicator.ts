import { Injectable } from '@nestjs/common';
import { QueueHealthService } from './queue-health.service';

/** The shape `@nestjs/terminus` expects from a health indicator (declared here: terminus is optional). */
export type EventBusHealthIndicatorResult = Record<string, { status: 'up' | 'down'; [detail: string]: unknown }>;

/**
 * Health indicator for `@nestjs/terminus`, without depending on it:
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.eventBusHealth.isHealthy('event-bus')]); }
 * ```
 * `down` when RabbitMQ or Redis is unreachable, or a dead-letter queue is past its threshold.
 */
@Injectable()
export class EventBusHealthIndicator {
  constructor(private readonly queues: QueueHealthService) {}

  async isHealthy(key = 'event-bus'): Promise<EventBusHealthIndicatorResult> {
    const snapshot = await this.queues.snapshot();
    const queues = Object.fromEntries(
      snapshot.queues.map((q) => [
        q.queue,
        { status: q.status, messagesReady: q.messagesReady, consumers: q.consumers, deadLetterDepth: q.deadLetterDepth },
      ]),
    );
    return { [key]: { status: snapshot.status, rabbitmq: snapshot.rabbitmq, redis: snapshot.redis, queues } };
  }
}
