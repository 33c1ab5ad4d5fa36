import type { ConsumeMessage } from 'amqplib';
import { MessageHeldSignal } from '../../errors/message-held.signal';
import { NonRetryableError } from '../../errors/non-retryable.error';
import { RetriesExhaustedError } from '../../errors/retries-exhausted.error';
import { UndecodableMessageError } from '../../errors/undecodable-message.error';
import type { EventEnvelope } from '../../interfaces/event-envelope.interface';
import type { EventBusLogger } from '../../logging/event-bus-logger';
import type { InboundEvent } from '../consume-interceptor.interface';
import type { RetryHistoryEntry } from '../../wire/failure-headers';
import type { BoundSubscription } from '../bound-subscription';
import { DeadLetterInterceptor } from './dead-letter.interceptor';
import { BODY, NOW, fakeSend } from './interceptor.spec-helper';

function setup() {
  const sent = fakeSend();
  const logger = { warn: jest.fn(), error: jest.fn(), log: jest.fn() };
  const interceptor = new DeadLetterInterceptor({
    deadLetterExchange: 'events.dlx',
    send: sent.send,
    logger: logger as unknown as EventBusLogger,
  });
  return { interceptor, sent, logger };
}

function inbound(
  attempt = 1,
  history: RetryHistoryEntry[] = [],
  options: { withEnvelope?: boolean; headers?: Record<string, unknown>; routingKey?: string } = {},
): InboundEvent {
  const envelope: EventEnvelope = {
    id: 'evt-1',
    type: 'USER_CREATED',
    data: { name: 'Ada' },
    metadata: { correlationId: 'corr-1', source: 'users', timestamp: NOW.toISOString(), version: '1.0.0', schemaVersion: '1.0' },
  };
  return {
    message: {
      content: BODY,
      fields: {
        routingKey: options.routingKey ?? 'USER_CREATED',
        exchange: 'events',
        deliveryTag: 1,
        redelivered: false,
        consumerTag: 'c',
      },
      properties: {
        contentType: 'application/cloudevents+json',
        messageId: 'evt-1',
        correlationId: 'corr-1',
        type: 'USER_CREATED',
        headers: { 'x-custom': 'keep-me', ...options.headers },
      },
    } as unknown as ConsumeMessage,
    subscription: {
      queue: 'svc.USER_CREATED',
      type: 'USER_CREATED',
      deadLetterQueue: 'svc.USER_CREATED.dlq',
    } as unknown as BoundSubscription,
    context: { attempt, queue: 'svc.USER_CREATED', redelivered: false },
    history,
    historyStart: history.length,
    signal: new AbortController().signal,
    envelope: options.withEnvelope === false ? undefined : envelope,
  };
}

describe('DeadLetterInterceptor', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('requires a dead-letter exchange', () => {
    expect(() => new DeadLetterInterceptor({ deadLetterExchange: '', send: fakeSend().send, logger: {} as EventBusLogger })).toThrow(
      'deadLetterExchange is required',
    );
  });

  it('passes a success through without sending or logging', async () => {
    const { interceptor, sent, logger } = setup();
    const next = jest.fn().mockResolvedValue(undefined);

    await expect(interceptor.intercept(inbound(), next)).resolves.toBeUndefined();

    expect(next).toHaveBeenCalledTimes(1);
    expect(sent.calls).toEqual([]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('dead-letters any error to <queue>.dlq with the body and the failure headers, and resolves', async () => {
    const { interceptor, sent } = setup();
    const event = inbound(1);

    await expect(interceptor.intercept(event, jest.fn().mockRejectedValue(new TypeError('cannot read x')))).resolves.toBeUndefined();

    expect(sent.calls).toHaveLength(1);
    const [call] = sent.calls;
    expect(call.exchange).toBe('events.dlx');
    expect(call.routingKey).toBe('svc.USER_CREATED.dlq');
    expect(call.body).toBe(BODY);
    expect(call.properties).toEqual({
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId: 'evt-1',
      correlationId: 'corr-1',
      type: 'USER_CREATED',
      headers: {
        'x-custom': 'keep-me',
        'x-error': 'cannot read x',
        'x-error-name': 'TypeError',
        'x-retry-count': 0,
        'x-retry-history': JSON.stringify([{ attempt: 1, error: 'cannot read x', timestamp: NOW.toISOString() }]),
        'x-original-queue': 'svc.USER_CREATED',
        'x-original-routing-key': 'USER_CREATED',
        'x-failed-at': NOW.toISOString(),
      },
    });
    expect(new Date(call.properties.headers!['x-failed-at'] as string).toISOString()).toBe(call.properties.headers!['x-failed-at']);
  });

  it('unwraps RetriesExhaustedError to its last error and does not repeat the attempt already in the history', async () => {
    const { interceptor, sent } = setup();
    const history: RetryHistoryEntry[] = [
      { attempt: 1, error: 'first', timestamp: '2024-05-01T11:58:00.000Z' },
      { attempt: 2, error: 'second', timestamp: '2024-05-01T11:59:00.000Z' },
      { attempt: 3, error: 'third', timestamp: '2024-05-01T11:59:59.000Z' },
    ];
    class GatewayError extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'GatewayError';
      }
    }
    // Two failures arrived with the message; the retry stage recorded the third one.
    const event = inbound(3, history.slice(0, 2), {
      headers: { 'x-retry-count': 2, 'x-original-routing-key': 'USER_CREATED' },
      routingKey: 'svc.USER_CREATED',
    });
    event.history.push(history[2]);

    await interceptor.intercept(event, jest.fn().mockRejectedValue(new RetriesExhaustedError(3, new GatewayError('third'))));

    const headers = sent.calls[0].properties.headers!;
    expect(headers['x-error']).toBe('third');
    expect(headers['x-error-name']).toBe('GatewayError');
    expect(headers['x-retry-count']).toBe(2);
    expect(JSON.parse(headers['x-retry-history'] as string)).toEqual(history);
    expect(headers['x-original-routing-key']).toBe('USER_CREATED');
    expect(headers['x-original-queue']).toBe('svc.USER_CREATED');
  });

  it('appends the current attempt when the history does not end with it (failure before the retry stage)', async () => {
    const { interceptor, sent } = setup();
    const earlier = { attempt: 1, error: 'first', timestamp: '2024-05-01T11:58:00.000Z' };
    const event = inbound(2, [earlier], { withEnvelope: false, headers: { 'x-retry-count': 1 } });

    await interceptor.intercept(event, jest.fn().mockRejectedValue(new UndecodableMessageError('not JSON', 'svc.USER_CREATED')));

    const headers = sent.calls[0].properties.headers!;
    expect(headers['x-error']).toBe('Undecodable message on svc.USER_CREATED: not JSON');
    expect(headers['x-error-name']).toBe('UndecodableMessageError');
    expect(headers['x-retry-count']).toBe(1);
    expect(JSON.parse(headers['x-retry-history'] as string)).toEqual([
      earlier,
      { attempt: 2, error: 'Undecodable message on svc.USER_CREATED: not JSON', timestamp: NOW.toISOString() },
    ]);
  });

  it('reports a NonRetryableError under its own name', async () => {
    const { interceptor, sent } = setup();

    await interceptor.intercept(inbound(1), jest.fn().mockRejectedValue(new NonRetryableError('bad input')));

    expect(sent.calls[0].properties.headers).toEqual(
      expect.objectContaining({ 'x-error': 'bad input', 'x-error-name': 'NonRetryableError', 'x-retry-count': 0 }),
    );
  });

  it('describes a thrown non-Error value', async () => {
    const { interceptor, sent } = setup();

    await interceptor.intercept(inbound(1), jest.fn().mockRejectedValue('just a string'));

    expect(sent.calls[0].properties.headers).toEqual(expect.objectContaining({ 'x-error': 'just a string', 'x-error-name': 'Error' }));
  });

  it('logs exactly one error line with error, retryCount, timestamp, correlationId, eventId, type and queue', async () => {
    const { interceptor, logger } = setup();

    await interceptor.intercept(
      inbound(4, [], { headers: { 'x-retry-count': 3 } }),
      jest.fn().mockRejectedValue(new RetriesExhaustedError(4, new Error('db down'))),
    );

    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
    const [text, details] = logger.error.mock.calls[0];
    expect(typeof text).toBe('string');
    expect(details).toEqual(
      expect.objectContaining({
        error: 'db down',
        retryCount: 3,
        timestamp: NOW.toISOString(),
        correlationId: 'corr-1',
        eventId: 'evt-1',
        type: 'USER_CREATED',
        queue: 'svc.USER_CREATED',
      }),
    );
  });

  it('logs the AMQP properties when the event could not be decoded', async () => {
    const { interceptor, logger } = setup();

    await interceptor.intercept(inbound(1, [], { withEnvelope: false }), jest.fn().mockRejectedValue(new Error('bad')));

    expect(logger.error.mock.calls[0][1]).toEqual(
      expect.objectContaining({ correlationId: 'corr-1', eventId: 'evt-1', type: 'USER_CREATED', queue: 'svc.USER_CREATED' }),
    );
  });

  it('lets a MessageHeldSignal through: the message is not dead-lettered', async () => {
    const { interceptor, sent, logger } = setup();
    const held = new MessageHeldSignal('consumer stopping');
    const event = inbound(1);

    await expect(interceptor.intercept(event, jest.fn().mockRejectedValue(held))).rejects.toBe(held);

    expect(sent.calls).toEqual([]);
    expect(logger.error).not.toHaveBeenCalled();
    expect(event.history).toEqual([]);
  });

  it('rejects when the dead letter cannot be sent (the original must not be acked) and logs nothing', async () => {
    const { interceptor, sent, logger } = setup();
    const brokerDown = new Error('channel closed');
    sent.state.failWith = brokerDown;

    await expect(interceptor.intercept(inbound(1), jest.fn().mockRejectedValue(new Error('db down')))).rejects.toBe(brokerDown);

    expect(sent.calls).toHaveLength(1);
    expect(logger.error).not.toHaveBeenCalled();
  });
});
