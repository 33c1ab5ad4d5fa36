import type { ConsumeMessage } from 'amqplib';
import { EventTypeMismatchError } from '../../errors/event-type-mismatch.error';
import { NonRetryableError } from '../../errors/non-retryable.error';
import type { BoundSubscription } from '../bound-subscription';
import type { InboundEvent } from '../consume-interceptor.interface';
import { TypeMatchInterceptor } from './type-match.interceptor';

function inbound(type: string, routingKey: string, headers: Record<string, unknown> = {}): InboundEvent {
  return {
    message: { content: Buffer.from('{}'), fields: { routingKey }, properties: { headers } } as unknown as ConsumeMessage,
    subscription: { type: 'ORDER_PLACED', queue: 'shop.ORDER_PLACED' } as BoundSubscription,
    context: { attempt: 1, queue: 'shop.ORDER_PLACED', redelivered: false },
    history: [],
    historyStart: 0,
    signal: new AbortController().signal,
    envelope: { id: 'e-1', type, data: {}, metadata: { correlationId: 'c', source: 's', timestamp: '', version: '1', schemaVersion: '1' } },
  };
}

describe('TypeMatchInterceptor', () => {
  const stage = new TypeMatchInterceptor();

  it('passes an event of the subscribed type on', async () => {
    const next = jest.fn(async () => undefined);
    await stage.intercept(inbound('ORDER_PLACED', 'ORDER_PLACED'), next);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('passes a retried event whose routing key is its wait queue (the original key travels in a header)', async () => {
    const next = jest.fn(async () => undefined);
    await stage.intercept(inbound('ORDER_PLACED', 'shop.ORDER_PLACED', { 'x-original-routing-key': 'ORDER_PLACED' }), next);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('refuses an event of another type, non-retryably, naming both types and the routing key', async () => {
    const next = jest.fn(async () => undefined);
    const error = await stage.intercept(inbound('ORDER_CANCELLED', 'ORDER_PLACED'), next).catch((e: unknown) => e);
    expect(next).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(EventTypeMismatchError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toBe(
      'Event type "ORDER_CANCELLED" on shop.ORDER_PLACED, which takes "ORDER_PLACED" (routing key "ORDER_PLACED"): the routing key and the event\'s type must agree',
    );
  });
});
