import type { Message } from 'amqplib';
import { copyProperties, originalRoutingKey } from './republish-properties';

function message(routingKey: string, properties: Record<string, unknown>): Message {
  return {
    content: Buffer.from('{}'),
    fields: { routingKey, exchange: 'events', deliveryTag: 1, redelivered: false },
    properties,
  } as unknown as Message;
}

describe('originalRoutingKey', () => {
  it('prefers the x-original-routing-key header', () => {
    expect(originalRoutingKey(message('svc.T', { headers: { 'x-original-routing-key': 'USER_CREATED' } }))).toBe('USER_CREATED');
  });

  it('falls back to the routing key the message arrived with', () => {
    expect(originalRoutingKey(message('USER_CREATED', { headers: {} }))).toBe('USER_CREATED');
    expect(originalRoutingKey(message('USER_CREATED', {}))).toBe('USER_CREATED');
  });

  it('ignores a header that is not a string', () => {
    expect(originalRoutingKey(message('USER_CREATED', { headers: { 'x-original-routing-key': 7 } }))).toBe('USER_CREATED');
  });
});

describe('copyProperties', () => {
  it('keeps the listed properties and marks the copy persistent', () => {
    const props = {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      correlationId: 'corr-1',
      messageId: 'evt-1',
      timestamp: 1700000000,
      type: 'USER_CREATED',
      appId: 'users',
    };
    expect(copyProperties(message('T', props))).toEqual({ persistent: true, ...props });
  });

  it('drops properties not on the list (headers, delivery mode, expiration, ...)', () => {
    const out = copyProperties(
      message('T', {
        messageId: 'evt-1',
        headers: { a: 1 },
        deliveryMode: 1,
        expiration: '100',
        priority: 5,
        replyTo: 'q',
        userId: 'guest',
      }),
    );
    expect(out).toEqual({ persistent: true, messageId: 'evt-1' });
  });

  it('drops null and undefined properties', () => {
    const out = copyProperties(
      message('T', { contentType: undefined, correlationId: null, messageId: 'evt-1', type: undefined, appId: null }),
    );
    expect(out).toEqual({ persistent: true, messageId: 'evt-1' });
    expect(Object.keys(out).sort()).toEqual(['messageId', 'persistent']);
  });

  it('is persistent even when the original was not', () => {
    expect(copyProperties(message('T', { deliveryMode: 1 }))).toEqual({ persistent: true });
  });
});
