import type { GetMessage } from 'amqplib';
import { deadLetterQueueOf, queueOfDeadLetterQueue } from '../topology/queue-naming';
import { readDeadLetter } from './dead-letter-reader';

const BODY = '{"specversion":"1.0","id":"evt-1","type":"ORDER_PLACED","data":{"total":42}}';

function getMessage(properties: Record<string, unknown>, routingKey = 'orders.ORDER_PLACED.dlq'): GetMessage {
  return {
    content: Buffer.from(BODY),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'events.dlx', routingKey, messageCount: 0 },
    properties,
  } as unknown as GetMessage;
}

describe('deadLetterQueueOf', () => {
  it('appends .dlq to a queue name', () => {
    expect(deadLetterQueueOf('orders.ORDER_PLACED')).toBe('orders.ORDER_PLACED.dlq');
  });

  it('keeps a name that already is a dead-letter queue', () => {
    expect(deadLetterQueueOf('orders.ORDER_PLACED.dlq')).toBe('orders.ORDER_PLACED.dlq');
  });
});

describe('queueOfDeadLetterQueue', () => {
  it('strips .dlq', () => {
    expect(queueOfDeadLetterQueue('orders.ORDER_PLACED.dlq')).toBe('orders.ORDER_PLACED');
  });

  it('keeps a name without .dlq', () => {
    expect(queueOfDeadLetterQueue('orders.ORDER_PLACED')).toBe('orders.ORDER_PLACED');
  });

  it('round-trips with deadLetterQueueOf', () => {
    expect(queueOfDeadLetterQueue(deadLetterQueueOf('svc.T'))).toBe('svc.T');
  });
});

describe('readDeadLetter', () => {
  it('reads every field of a dead letter written by the library', () => {
    const history = [
      { attempt: 1, error: 'db down', timestamp: '2024-05-01T11:58:00.000Z' },
      { attempt: 2, error: 'db down', timestamp: '2024-05-01T11:59:00.000Z' },
      { attempt: 3, error: 'still down', timestamp: '2024-05-01T12:00:00.000Z' },
    ];
    const headers = {
      'x-error': 'still down',
      'x-error-name': 'GatewayError',
      'x-retry-count': 2,
      'x-retry-history': JSON.stringify(history),
      'x-original-queue': 'orders.ORDER_PLACED',
      'x-original-routing-key': 'ORDER_PLACED',
      'x-failed-at': '2024-05-01T12:00:00.000Z',
      'x-replay-count': 1,
    };
    const message = getMessage({ messageId: 'evt-1', type: 'ORDER_PLACED', correlationId: 'corr-1', headers });

    expect(readDeadLetter(message, 'orders.ORDER_PLACED.dlq')).toEqual({
      eventId: 'evt-1',
      type: 'ORDER_PLACED',
      error: 'still down',
      errorName: 'GatewayError',
      attempts: 3,
      failedAt: '2024-05-01T12:00:00.000Z',
      correlationId: 'corr-1',
      originalQueue: 'orders.ORDER_PLACED',
      replayCount: 1,
      history,
      body: BODY,
      headers,
      properties: { messageId: 'evt-1', type: 'ORDER_PLACED', correlationId: 'corr-1' },
    });
  });

  it('reads headers amqplib hands over as Buffers', () => {
    const message = getMessage({
      messageId: 'evt-1',
      headers: {
        'x-error': Buffer.from('boom'),
        'x-error-name': Buffer.from('TypeError'),
        'x-original-queue': Buffer.from('orders.ORDER_PLACED'),
        'x-failed-at': Buffer.from('2024-05-01T12:00:00.000Z'),
        'x-retry-count': 0,
      },
    });

    expect(readDeadLetter(message, 'orders.ORDER_PLACED.dlq')).toEqual(
      expect.objectContaining({
        error: 'boom',
        errorName: 'TypeError',
        originalQueue: 'orders.ORDER_PLACED',
        failedAt: '2024-05-01T12:00:00.000Z',
        attempts: 1,
      }),
    );
  });

  it('reads a message the broker dead-lettered itself from x-death', () => {
    const message = getMessage(
      { headers: { 'x-death': [{ reason: 'rejected', queue: 'svc.T', count: 1, exchange: 'events', 'routing-keys': ['T'] }] } },
      'svc.T.dlq',
    );

    const letter = readDeadLetter(message, 'svc.T.dlq');

    expect(letter.error).toBe('rejected (rejected)');
    expect(letter.originalQueue).toBe('svc.T');
    expect(letter.attempts).toBeGreaterThanOrEqual(1);
    const { type: _type, ...rest } = letter;
    expect(rest).toEqual({
      eventId: '(none)',
      error: 'rejected (rejected)',
      errorName: 'Error',
      attempts: 1,
      failedAt: undefined,
      correlationId: undefined,
      originalQueue: 'svc.T',
      replayCount: 0,
      history: [],
      body: BODY,
      headers: { 'x-death': [{ reason: 'rejected', queue: 'svc.T', count: 1, exchange: 'events', 'routing-keys': ['T'] }] },
      properties: {},
    });
  });

  it('takes the queue from x-death even when it is not the one the dead-letter queue is named after', () => {
    const message = getMessage({ headers: { 'x-death': [{ reason: 'expired', queue: 'svc.other' }] } }, 'svc.T.dlq');

    const letter = readDeadLetter(message, 'svc.T.dlq');

    expect(letter.error).toBe('rejected (expired)');
    expect(letter.originalQueue).toBe('svc.other');
  });

  it('falls back to the dead-letter queue name and "unknown" without any failure header', () => {
    const letter = readDeadLetter(getMessage({ messageId: 'evt-9', headers: {} }, 'svc.T.dlq'), 'svc.T.dlq');

    expect(letter.error).toBe('unknown');
    expect(letter.errorName).toBe('Error');
    expect(letter.originalQueue).toBe('svc.T');
    expect(letter.attempts).toBe(1);
    expect(letter.eventId).toBe('evt-9');
  });

  it('counts attempts from the history when x-retry-count is missing', () => {
    const history = [
      { attempt: 1, error: 'a', timestamp: 't1' },
      { attempt: 2, error: 'b', timestamp: 't2' },
    ];
    const letter = readDeadLetter(getMessage({ headers: { 'x-retry-history': JSON.stringify(history) } }), 'q.dlq');

    expect(letter.attempts).toBe(2);
    expect(letter.history).toEqual(history);
  });

  it('takes the type from x-original-routing-key when the message has no type property', () => {
    const letter = readDeadLetter(getMessage({ headers: { 'x-original-routing-key': 'ORDER_PLACED' } }), 'q.dlq');
    expect(letter.type).toBe('ORDER_PLACED');
  });

  it('reads a damaged replay count as 0', () => {
    expect(readDeadLetter(getMessage({ headers: { 'x-replay-count': 'many' } }), 'q.dlq').replayCount).toBe(0);
    expect(readDeadLetter(getMessage({ headers: { 'x-replay-count': '2' } }), 'q.dlq').replayCount).toBe(2);
  });

  it('copes with a message without headers', () => {
    const letter = readDeadLetter(getMessage({}, 'q.dlq'), 'q.dlq');
    expect(letter).toEqual(
      expect.objectContaining({
        error: 'unknown',
        originalQueue: 'q',
        attempts: 1,
        replayCount: 0,
        history: [],
        headers: {},
        properties: {},
      }),
    );
  });

  it('keeps every header, with byte arrays as text, also inside tables and arrays', () => {
    const message = getMessage({
      headers: {
        'x-error': Buffer.from('boom'),
        'x-tenant': 'acme',
        'x-priority-boost': 3,
        'x-death': [{ reason: Buffer.from('rejected'), queue: 'svc.T', count: 2, 'routing-keys': [Buffer.from('T')] }],
        'x-flag': true,
      },
    });

    expect(readDeadLetter(message, 'svc.T.dlq').headers).toEqual({
      'x-error': 'boom',
      'x-tenant': 'acme',
      'x-priority-boost': 3,
      'x-death': [{ reason: 'rejected', queue: 'svc.T', count: 2, 'routing-keys': ['T'] }],
      'x-flag': true,
    });
  });

  it('keeps the properties that are set, without the headers', () => {
    const message = getMessage({
      messageId: 'evt-1',
      contentType: 'application/cloudevents+json',
      deliveryMode: 2,
      timestamp: 1714564800,
      appId: Buffer.from('orders'),
      replyTo: undefined,
      expiration: undefined,
      priority: null,
      headers: { 'x-error': 'boom' },
    });

    expect(readDeadLetter(message, 'q.dlq').properties).toEqual({
      messageId: 'evt-1',
      contentType: 'application/cloudevents+json',
      deliveryMode: 2,
      timestamp: 1714564800,
      appId: 'orders',
    });
  });
});
