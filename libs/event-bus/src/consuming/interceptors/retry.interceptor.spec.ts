import type { ConsumeMessage } from 'amqplib';
import { MessageHeldSignal } from '../../errors/message-held.signal';
import { NonRetryableError } from '../../errors/non-retryable.error';
import { RetriesExhaustedError } from '../../errors/retries-exhausted.error';
import type { EventEnvelope } from '../../interfaces/event-envelope.interface';
import type { InboundEvent } from '../consume-interceptor.interface';
import type { RetryHistoryEntry } from '../../wire/failure-headers';
import type { RetryPolicy } from '../retry-policy';
import type { BoundSubscription } from '../bound-subscription';
import { RetryInterceptor } from './retry.interceptor';
import { BODY, NOW, fakeLogger, fakeSend } from './interceptor.spec-helper';

function inbound(attempt = 1, headers: Record<string, unknown> = {}, history: RetryHistoryEntry[] = []): InboundEvent {
  const envelope: EventEnvelope = {
    id: 'evt-1',
    type: 'USER_CREATED',
    data: { name: 'Ada' },
    metadata: { correlationId: 'corr-1', source: 'users', timestamp: NOW.toISOString(), version: '1.0.0', schemaVersion: '1.0' },
  };
  return {
    message: {
      content: BODY,
      fields: { routingKey: 'USER_CREATED', exchange: 'events', deliveryTag: 1, redelivered: false, consumerTag: 'c' },
      properties: {
        contentType: 'application/cloudevents+json',
        messageId: 'evt-1',
        correlationId: 'corr-1',
        type: 'USER_CREATED',
        headers: { 'x-custom': 'keep-me', ...headers },
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
    envelope,
  };
}

function interceptor(policy: Partial<RetryPolicy> = {}, inPlace = false) {
  const sent = fakeSend();
  const log = fakeLogger();
  const retry = new RetryInterceptor({
    policy: { retryCount: 3, retryDelay: 100, backoff: 'exponential', ...policy },
    inPlace,
    send: sent.send,
    logger: log.asLogger,
  });
  return { retry, sent, log };
}

describe('RetryInterceptor', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('constructor', () => {
    const make = (policy: Partial<RetryPolicy>) => () => interceptor(policy);

    it('accepts zero retries and zero delay', () => {
      expect(make({ retryCount: 0, retryDelay: 0 })).not.toThrow();
    });

    it('rejects a negative or non-integer retryCount', () => {
      expect(make({ retryCount: -1 })).toThrow('retryCount must be an integer >= 0');
      expect(make({ retryCount: 1.5 })).toThrow('retryCount must be an integer >= 0');
      expect(make({ retryCount: Number.NaN })).toThrow('retryCount must be an integer >= 0');
    });

    it('rejects a negative or non-integer retryDelay', () => {
      expect(make({ retryDelay: -100 })).toThrow('retryDelay must be an integer >= 0');
      expect(make({ retryDelay: 0.5 })).toThrow('retryDelay must be an integer >= 0');
      expect(make({ retryDelay: Number.POSITIVE_INFINITY })).toThrow('retryDelay must be an integer >= 0');
    });
  });

  describe('success', () => {
    it('calls next once and sends nothing', async () => {
      const { retry, sent, log } = interceptor();
      const next = jest.fn().mockResolvedValue(undefined);
      const event = inbound();

      await expect(retry.intercept(event, next)).resolves.toBeUndefined();

      expect(next).toHaveBeenCalledTimes(1);
      expect(sent.calls).toEqual([]);
      expect(event.history).toEqual([]);
      expect(event.context.attempt).toBe(1);
      expect(log.logger.warn).not.toHaveBeenCalled();
    });
  });

  describe('through wait queues', () => {
    it('sends a failed first attempt to the first wait queue and resolves (the original is acked)', async () => {
      const { retry, sent } = interceptor();
      const next = jest.fn().mockRejectedValue(new Error('db down'));
      const event = inbound(1);

      await expect(retry.intercept(event, next)).resolves.toBeUndefined();

      expect(next).toHaveBeenCalledTimes(1);
      expect(sent.calls).toHaveLength(1);
      const [call] = sent.calls;
      expect(call.exchange).toBe('');
      expect(call.routingKey).toBe('svc.USER_CREATED.retry.100');
      expect(call.body).toBe(BODY);
      expect(call.body.toString()).toBe(BODY.toString());
      expect(call.properties).toEqual({
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: 'evt-1',
        correlationId: 'corr-1',
        type: 'USER_CREATED',
        headers: {
          'x-custom': 'keep-me',
          'x-retry-count': 1,
          'x-retry-history': JSON.stringify([{ attempt: 1, error: 'db down', timestamp: NOW.toISOString() }]),
          'x-original-routing-key': 'USER_CREATED',
        },
      });
      expect(event.history).toEqual([{ attempt: 1, error: 'db down', timestamp: NOW.toISOString() }]);
    });

    it.each([
      [1, 'svc.USER_CREATED.retry.100'],
      [2, 'svc.USER_CREATED.retry.200'],
      [3, 'svc.USER_CREATED.retry.400'],
    ])('on attempt %i (exponential, 100 ms) uses wait queue %s and counts the attempt', async (attempt, routingKey) => {
      const { retry, sent } = interceptor({ retryCount: 3, retryDelay: 100, backoff: 'exponential' });
      const event = inbound(attempt, { 'x-retry-count': attempt - 1, 'x-original-routing-key': 'USER_CREATED' });

      await retry.intercept(event, jest.fn().mockRejectedValue(new Error('nope')));

      expect(sent.calls.map((c) => c.routingKey)).toEqual([routingKey]);
      expect(sent.calls[0].properties.headers?.['x-retry-count']).toBe(attempt);
    });

    it('uses the same wait queue for every retry with a fixed delay', async () => {
      const { retry, sent } = interceptor({ retryCount: 3, retryDelay: 250, backoff: 'fixed' });

      await retry.intercept(inbound(1), jest.fn().mockRejectedValue(new Error('x')));
      await retry.intercept(inbound(3, { 'x-retry-count': 2 }), jest.fn().mockRejectedValue(new Error('x')));

      expect(sent.calls.map((c) => c.routingKey)).toEqual(['svc.USER_CREATED.retry.250', 'svc.USER_CREATED.retry.250']);
    });

    it('appends to the history carried in and keeps the original routing key of an earlier hop', async () => {
      const earlier = { attempt: 1, error: 'first', timestamp: '2024-05-01T11:59:00.000Z' };
      const { retry, sent } = interceptor();
      const event = inbound(2, { 'x-retry-count': 1, 'x-original-routing-key': 'USER_CREATED' }, [earlier]);
      // The hop back from the wait queue arrives with the queue name as routing key.
      (event.message.fields as { routingKey: string }).routingKey = 'svc.USER_CREATED';

      await retry.intercept(event, jest.fn().mockRejectedValue(new Error('second')));

      const headers = sent.calls[0].properties.headers!;
      expect(JSON.parse(headers['x-retry-history'] as string)).toEqual([
        earlier,
        { attempt: 2, error: 'second', timestamp: NOW.toISOString() },
      ]);
      expect(headers['x-original-routing-key']).toBe('USER_CREATED');
      expect(headers['x-retry-count']).toBe(2);
    });

    it('logs a warning for the retry with the failure details', async () => {
      const { retry, log } = interceptor();

      await retry.intercept(inbound(1), jest.fn().mockRejectedValue(new Error('db down')));

      expect(log.logger.warn).toHaveBeenCalledTimes(1);
      expect(log.logger.warn.mock.calls[0][1]).toEqual(
        expect.objectContaining({
          error: 'db down',
          retryCount: 1,
          timestamp: NOW.toISOString(),
          correlationId: 'corr-1',
          eventId: 'evt-1',
          type: 'USER_CREATED',
          queue: 'svc.USER_CREATED',
          delayMs: 100,
        }),
      );
      expect(log.logger.error).not.toHaveBeenCalled();
    });

    it('rejects with RetriesExhaustedError carrying the last error on the last attempt, without sending', async () => {
      const { retry, sent } = interceptor({ retryCount: 3 });
      const last = new Error('still down');
      const event = inbound(4, { 'x-retry-count': 3 });

      const error = await retry.intercept(event, jest.fn().mockRejectedValue(last)).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RetriesExhaustedError);
      expect((error as RetriesExhaustedError).lastError).toBe(last);
      expect((error as RetriesExhaustedError).attempts).toBe(4);
      expect(sent.calls).toEqual([]);
      expect(event.history).toEqual([{ attempt: 4, error: 'still down', timestamp: NOW.toISOString() }]);
    });

    it('with retryCount 0 gives up after the first attempt', async () => {
      const { retry, sent } = interceptor({ retryCount: 0 });
      const event = inbound(1);

      await expect(retry.intercept(event, jest.fn().mockRejectedValue(new Error('x')))).rejects.toBeInstanceOf(RetriesExhaustedError);

      expect(sent.calls).toEqual([]);
      expect(event.history).toHaveLength(1);
    });

    it('rethrows a NonRetryableError at once, without sending', async () => {
      const { retry, sent, log } = interceptor();
      const fatal = new NonRetryableError('bad input');
      const next = jest.fn().mockRejectedValue(fatal);
      const event = inbound(1);

      await expect(retry.intercept(event, next)).rejects.toBe(fatal);

      expect(next).toHaveBeenCalledTimes(1);
      expect(sent.calls).toEqual([]);
      expect(log.logger.warn).not.toHaveBeenCalled();
      expect(event.history).toEqual([{ attempt: 1, error: 'bad input', timestamp: NOW.toISOString() }]);
    });

    it('lets a MessageHeldSignal through untouched: no retry, no history entry, no send', async () => {
      const { retry, sent, log } = interceptor();
      const held = new MessageHeldSignal('redis unreachable');
      const next = jest.fn().mockRejectedValue(held);
      const event = inbound(1);

      await expect(retry.intercept(event, next)).rejects.toBe(held);

      expect(next).toHaveBeenCalledTimes(1);
      expect(sent.calls).toEqual([]);
      expect(event.history).toEqual([]);
      expect(log.logger.warn).not.toHaveBeenCalled();
    });

    it('rejects when the send of the retry copy fails, so the original is not acked', async () => {
      const { retry, sent } = interceptor();
      const brokerDown = new Error('channel closed');
      sent.state.failWith = brokerDown;

      await expect(retry.intercept(inbound(1), jest.fn().mockRejectedValue(new Error('db down')))).rejects.toBe(brokerDown);

      expect(sent.calls).toHaveLength(1);
    });
  });

  describe('in place', () => {
    it('calls next again after the delay with the attempt incremented, and resolves when it succeeds', async () => {
      const { retry, sent } = interceptor({ retryCount: 3, retryDelay: 100, backoff: 'exponential' }, true);
      const attempts: number[] = [];
      const event = inbound(1);
      const next = jest.fn(async () => {
        attempts.push(event.context.attempt);
        if (attempts.length < 3) throw new Error(`fail ${attempts.length}`);
      });
      let settled = false;

      const done = retry.intercept(event, next).then(() => {
        settled = true;
      });

      await jest.advanceTimersByTimeAsync(0);
      expect(next).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(99);
      expect(next).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(next).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(199);
      expect(next).toHaveBeenCalledTimes(2);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await done;

      expect(next).toHaveBeenCalledTimes(3);
      expect(attempts).toEqual([1, 2, 3]);
      expect(settled).toBe(true);
      expect(sent.calls).toEqual([]);
      expect(event.history.map((h) => [h.attempt, h.error])).toEqual([
        [1, 'fail 1'],
        [2, 'fail 2'],
      ]);
    });

    it('makes retryCount + 1 calls, then rejects with RetriesExhaustedError', async () => {
      const { retry, sent, log } = interceptor({ retryCount: 2, retryDelay: 50, backoff: 'fixed' }, true);
      const event = inbound(1);
      const attempts: number[] = [];
      const next = jest.fn(async () => {
        attempts.push(event.context.attempt);
        throw new Error(`fail ${event.context.attempt}`);
      });

      const outcome = retry.intercept(event, next).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(50);
      await jest.advanceTimersByTimeAsync(50);
      const error = await outcome;

      expect(error).toBeInstanceOf(RetriesExhaustedError);
      expect((error as RetriesExhaustedError).attempts).toBe(3);
      expect(((error as RetriesExhaustedError).lastError as Error).message).toBe('fail 3');
      expect(next).toHaveBeenCalledTimes(3);
      expect(attempts).toEqual([1, 2, 3]);
      expect(event.context.attempt).toBe(3);
      expect(event.history.map((h) => h.attempt)).toEqual([1, 2, 3]);
      expect(sent.calls).toEqual([]);
      expect(log.logger.warn).toHaveBeenCalledTimes(2);
    });

    it('does not retry before the delay has passed', async () => {
      const { retry } = interceptor({ retryCount: 1, retryDelay: 1000, backoff: 'fixed' }, true);
      const next = jest.fn().mockRejectedValue(new Error('x'));

      const outcome = retry.intercept(inbound(1), next).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(999);
      expect(next).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);

      expect(await outcome).toBeInstanceOf(RetriesExhaustedError);
      expect(next).toHaveBeenCalledTimes(2);
    });

    it('stops retrying in place at a NonRetryableError', async () => {
      const { retry } = interceptor({ retryCount: 3, retryDelay: 10, backoff: 'fixed' }, true);
      const fatal = new NonRetryableError('bad');
      const next = jest.fn().mockRejectedValueOnce(new Error('transient')).mockRejectedValueOnce(fatal);

      const outcome = retry.intercept(inbound(1), next).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(10);

      expect(await outcome).toBe(fatal);
      expect(next).toHaveBeenCalledTimes(2);
    });
  });
});
