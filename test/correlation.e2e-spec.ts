import { Body, Controller, Injectable, Module, Post, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { CorrelationIdMiddleware, EventBus, EventBusModule, OnEvent, currentCorrelationId, type EventEnvelope } from 'nestjs-event-bus';
import type { INestApplication } from '@nestjs/common';
import { RawAmqp } from './support/raw-amqp';
import { testOptions } from './support/event-bus-app';
import { REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const topology = uniqueTopology('corr');
const serviceName = uniqueName('orders');
const invoices: Array<{ event: EventEnvelope; inHandler: string | undefined }> = [];
const orderIds: string[] = [];
const logLines: string[] = [];
let failOnce = true;

@Controller('orders')
class OrdersController {
  constructor(private readonly bus: EventBus) {}

  @Post()
  async place(@Body() body: { item: string }): Promise<{ id: string; correlationId: string | undefined }> {
    const event = await this.bus.publish({ type: 'ORDER_PLACED', data: body }, { cache: true });
    return { id: event.id, correlationId: currentCorrelationId() };
  }
}

@Injectable()
class Billing {
  constructor(private readonly bus: EventBus) {}

  /** Handler A: publishes the next event without passing any id along. */
  @OnEvent('ORDER_PLACED')
  async onOrder(event: EventEnvelope<{ item: string }>): Promise<void> {
    orderIds.push(event.id);
    if (failOnce) {
      failOnce = false;
      throw new Error('payment gateway hiccup');
    }
    await this.bus.publish({ type: 'INVOICE_CREATED', data: { item: event.data.item } });
  }

  /** Handler B. */
  @OnEvent('INVOICE_CREATED')
  onInvoice(event: EventEnvelope): void {
    invoices.push({ event, inHandler: currentCorrelationId() });
  }
}

@Module({ controllers: [OrdersController], providers: [Billing] })
class OrdersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}

describe('correlation across HTTP and events', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventBusModule.forRoot(testOptions(serviceName, topology)), OrdersModule],
    }).compile();
    app = moduleRef.createNestApplication({
      logger: {
        log: () => undefined,
        error: (m: unknown) => void logLines.push(String(m)),
        warn: (m: unknown) => void logLines.push(String(m)),
        debug: () => undefined,
        verbose: () => undefined,
      },
    });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    const raw = await RawAmqp.connect();
    const queues = [`${serviceName}.ORDER_PLACED`, `${serviceName}.INVOICE_CREATED`];
    await raw.cleanup({
      queues: queues.flatMap((q) => [q, `${q}.dlq`, `${q}.retry.50`]),
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
    await raw.close();
  });

  it('carries x-correlation-id from the request through two hops, with causation', async () => {
    const response = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'tx-123' },
      body: JSON.stringify({ item: 'book' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe('tx-123');
    const order = (await response.json()) as { id: string; correlationId: string };
    expect(order.correlationId).toBe('tx-123');

    await waitFor(() => invoices.length === 1, { message: 'the invoice event' });
    const { event, inHandler } = invoices[0];
    expect(event.metadata.correlationId).toBe('tx-123');
    expect(event.metadata.causationId).toBe(order.id);
    expect(inHandler).toBe('tx-123');
    // Handler A failed once and was retried: same event, same id.
    expect(orderIds).toEqual([order.id, order.id]);
    // The library's own log line about that failure names the correlation id.
    expect(logLines.some((l) => l.includes('retrying') && l.includes('"correlationId":"tx-123"'))).toBe(true);
  });

  it('gives a request without the header a fresh id and echoes it', async () => {
    const response = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'pen' }),
    });
    const id = response.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as { correlationId: string }).correlationId).toBe(id);
    await waitFor(() => invoices.length === 2, { message: 'the second invoice' });
    expect(invoices[1].event.metadata.correlationId).toBe(id);
  });

  it('writes only prefixed keys, each with a TTL', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const ours = await redis.keys(`${topology.keyPrefix}*`);
      expect(ours.length).toBeGreaterThanOrEqual(3); // ledger entries and the cache
      for (const key of ours) expect(await redis.ttl(key)).toBeGreaterThan(0);
      // Nothing about this service's queues was written outside the prefix.
      const stray = (await redis.keys(`*${serviceName}*`)).filter((k) => !k.startsWith(topology.keyPrefix));
      expect(stray).toEqual([]);
      await redis.del(...ours);
    } finally {
      redis.disconnect();
    }
  });
});
