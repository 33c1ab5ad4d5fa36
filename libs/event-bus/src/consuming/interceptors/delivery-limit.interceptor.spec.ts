import type { ConsumeMessage } from 'amqplib';
import { DeliveryLimitReachedError } from '../../errors/delivery-limit-reached.error';
import { NonRetryableError } from '../../errors/non-retryable.error';
import type { BoundSubscription } from '../bound-subscription';
import type { InboundEvent } from '../consume-interceptor.interface';
import { DeliveryLimitInterceptor, earlierDeliveries } from './delivery-limit.interceptor';

function delivery(redelivered: boolean, headers: Record<string, unknown> = {}): ConsumeMessage {
  return { content: Buffer.from('{}'), fields: { redelivered, routingKey: 'T' }, properties: { headers } } as unknown as ConsumeMessage;
}

function inbound(message: ConsumeMessage): InboundEvent {
  return {
    message,
    subscription: { type: 'T', queue: 'svc.T' } as BoundSubscription,
    context: { attempt: 1, queue: 'svc.T', redelivered: message.fields.redelivered },
    history: [],
    historyStart: 0,
    signal: new AbortController().signal,
  };
}

describe('earlierDeliveries', () => {
  it('reads x-delivery-count of a redelivery', () => {
    expect(earlierDeliveries(delivery(true, { 'x-delivery-count': 3 }))).toBe(3);
  });

  it('takes the higher of x-delivery-count and x-acquired-count (RabbitMQ 4 counts returns in the latter)', () => {
    expect(earlierDeliveries(delivery(true, { 'x-delivery-count': 1, 'x-acquired-count': 6 }))).toBe(6);
  });

  it('counts 0 for a first delivery, whatever counts a republished copy carries', () => {
    expect(earlierDeliveries(delivery(false, { 'x-delivery-count': 50, 'x-acquired-count': 50 }))).toBe(0);
  });

  it('counts 0 without headers or with unreadable ones', () => {
    expect(earlierDeliveries(delivery(true))).toBe(0);
    expect(earlierDeliveries(delivery(true, { 'x-delivery-count': 'lots' }))).toBe(0);
  });
});

describe('DeliveryLimitInterceptor', () => {
  const stage = new DeliveryLimitInterceptor({ deliveryLimit: 5 });

  it('passes a message below the limit on', async () => {
    const next = jest.fn(async () => undefined);
    await stage.intercept(inbound(delivery(true, { 'x-delivery-count': 4 })), next);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('refuses a message at the limit, non-retryably, saying how often it was delivered and why', async () => {
    const next = jest.fn(async () => undefined);
    const error = await stage.intercept(inbound(delivery(true, { 'x-delivery-count': 5 })), next).catch((e: unknown) => e);
    expect(next).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(DeliveryLimitReachedError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error).toMatchObject({ name: 'DeliveryLimitReachedError', queue: 'svc.T', deliveries: 5, limit: 5 });
    expect((error as Error).message).toMatch(/^Delivered 5 times without being settled: the consumer crashed or lost its connection/);
  });

  it('refuses a limit below 1', () => {
    expect(() => new DeliveryLimitInterceptor({ deliveryLimit: 0 })).toThrow(/deliveryLimit/);
  });
});
