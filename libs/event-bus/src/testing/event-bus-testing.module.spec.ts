import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OnEvent } from '../decorators/on-event.decorator';
import { DeadLetterService } from '../dead-letters/dead-letter.service';
import { NonRetryableError } from '../errors/non-retryable.error';
import { EventBus } from '../event-bus.service';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { EventBusHealthIndicator } from '../monitoring/event-bus-health.indicator';
import { EventBusMetrics } from '../monitoring/event-bus-metrics';
import { QueueHealthService } from '../monitoring/queue-health.service';
import { EventBusTestHarness, EventBusTestingModule } from './index';

/** Fails every order until told to accept them. */
@Injectable()
class OrderHandler {
  accept = false;
  readonly seen: string[] = [];

  @OnEvent('ORDER_PLACED', { retryCount: 0 })
  handle(event: EventEnvelope<{ orderId: string }>): void {
    if (!this.accept) throw new NonRetryableError(`order ${event.data.orderId} refused`);
    this.seen.push(event.data.orderId);
  }
}

describe('EventBusTestingModule: every public service over the in-memory broker', () => {
  let app: INestApplication;
  let harness: EventBusTestHarness;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventBusTestingModule.forRoot({ serviceName: 'shop' })],
      providers: [OrderHandler],
    }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    harness = app.get(EventBusTestHarness);
  });

  afterEach(() => app.close());

  it('resolves EventBus, DeadLetterService, QueueHealthService, EventBusMetrics and the health indicator', () => {
    for (const service of [EventBus, DeadLetterService, QueueHealthService, EventBusMetrics, EventBusHealthIndicator]) {
      expect(app.get(service)).toBeInstanceOf(service);
    }
  });

  it('lists, replays and purges dead letters in memory', async () => {
    const bus = app.get(EventBus);
    const dlq = app.get(DeadLetterService);
    const first = await bus.publish({ type: 'ORDER_PLACED', data: { orderId: 'o-1' } });
    const second = await bus.publish({ type: 'ORDER_PLACED', data: { orderId: 'o-2' } });
    await harness.waitFor('ORDER_PLACED', { kind: 'dead-lettered', count: 2 });

    expect(await dlq.count('shop.ORDER_PLACED')).toBe(2);
    const letters = await dlq.list('shop.ORDER_PLACED');
    expect(letters.map((l) => [l.eventId, l.error, l.originalQueue])).toEqual([
      [first.id, 'order o-1 refused', 'shop.ORDER_PLACED'],
      [second.id, 'order o-2 refused', 'shop.ORDER_PLACED'],
    ]);

    app.get(OrderHandler).accept = true;
    const result = await dlq.replay('shop.ORDER_PLACED.dlq', { ids: [first.id] });
    expect(result).toEqual({ replayed: [first.id], skipped: [] });
    await harness.waitFor('ORDER_PLACED');
    expect(app.get(OrderHandler).seen).toEqual(['o-1']);
    const [replayed] = await dlq.list('shop.ORDER_PLACED');
    expect(replayed.eventId).toBe(second.id);

    expect(await dlq.purge('shop.ORDER_PLACED')).toBe(1);
    expect(await dlq.count('shop.ORDER_PLACED')).toBe(0);
  });

  it('reports queue health from the in-memory broker', async () => {
    await app.get(EventBus).publish({ type: 'ORDER_PLACED', data: { orderId: 'o-3' } });
    await harness.waitFor('ORDER_PLACED', { kind: 'dead-lettered' });
    const snapshot = await app.get(QueueHealthService).snapshot();
    expect(snapshot).toMatchObject({ rabbitmq: 'up', redis: 'up' });
    expect(snapshot.queues).toEqual([
      expect.objectContaining({
        queue: 'shop.ORDER_PLACED',
        handler: 'OrderHandler.handle',
        consumers: 1,
        deadLetterDepth: 1,
        deadLettered: 1,
      }),
    ]);
    const health = await app.get(EventBusHealthIndicator).isHealthy('bus');
    expect(health.bus.status).toBe('up');
  });
});
