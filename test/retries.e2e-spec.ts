import { IsEmail, IsIn, IsString } from 'class-validator';
import { InvalidEventError, NonRetryableError, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

class UserCreated {
  @IsString() userId!: string;
  @IsEmail() email!: string;
  @IsIn(['STUDENT', 'TEACHER']) role!: string;
}

interface Attempt {
  attempt: number;
  at: number;
}

function headersOf(message: { properties: { headers?: Record<string, unknown> } }): Record<string, unknown> {
  return message.properties.headers ?? {};
}

describe('retries and dead-lettering', () => {
  const topology = uniqueTopology('retry');
  const serviceName = uniqueName('retry');
  const queues: string[] = [];
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: {
          url: RABBITMQ_URL,
          exchange: topology.exchange,
          deadLetterExchange: topology.deadLetterExchange,
          retryCount: 3,
          retryDelay: 200,
        },
        schemas: { USER_CREATED: UserCreated },
      }),
    );
  });

  afterAll(async () => {
    await service.close();
    const all = queues.flatMap((q) => [
      q,
      `${q}.dlq`,
      `${q}.retry.100`,
      `${q}.retry.200`,
      `${q}.retry.400`,
      `${q}.retry.800`,
      `${q}.retry.1000`,
    ]);
    await raw.cleanup({ queues: all, exchanges: [topology.exchange, topology.deadLetterExchange] });
    await raw.close();
  });

  async function subscribeRecording(type: string, fail: (attempt: number) => boolean, options = {}) {
    const attempts = new Map<string, Attempt[]>();
    const sub = await service.bus.subscribe(
      type,
      (event: EventEnvelope, ctx: EventContext) => {
        const list = attempts.get(event.id) ?? [];
        list.push({ attempt: ctx.attempt, at: Date.now() });
        attempts.set(event.id, list);
        if (fail(ctx.attempt)) throw new Error(`boom on attempt ${ctx.attempt}`);
      },
      options,
    );
    queues.push(sub.queue);
    return { attempts, sub };
  }

  it('handles an event that fails twice on attempt 3, each retry at least retryDelay later', async () => {
    const { attempts } = await subscribeRecording('FLAKY', (n) => n < 3);
    const event = await service.bus.publish({ type: 'FLAKY', data: {} });
    await waitFor(() => (attempts.get(event.id)?.length ?? 0) === 3, { message: 'three attempts' });
    const list = attempts.get(event.id)!;
    expect(list.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(list[1].at - list[0].at).toBeGreaterThanOrEqual(200);
    expect(list[2].at - list[1].at).toBeGreaterThanOrEqual(200);
    expect(await raw.depth(`${serviceName}.FLAKY.dlq`)).toBe(0);
  });

  it('dead-letters after retryCount + 1 attempts with the failure headers and the body unchanged', async () => {
    const { attempts, sub } = await subscribeRecording('DOOMED', () => true);
    const event = await service.bus.publish({ type: 'DOOMED', data: { n: 1 }, metadata: { correlationId: 'tx-123' } });
    const dead = await raw.nextMessage(`${sub.queue}.dlq`, 15_000);

    expect(attempts.get(event.id)!.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    const h = headersOf(dead);
    expect(h['x-error']).toBe('boom on attempt 4');
    expect(h['x-error-name']).toBe('Error');
    expect(h['x-retry-count']).toBe(3);
    expect(h['x-original-queue']).toBe(sub.queue);
    expect(h['x-original-routing-key']).toBe('DOOMED');
    expect(Date.parse(String(h['x-failed-at']))).not.toBeNaN();
    const history = JSON.parse(String(h['x-retry-history']));
    expect(history.map((e: { attempt: number; error: string }) => [e.attempt, e.error])).toEqual([
      [1, 'boom on attempt 1'],
      [2, 'boom on attempt 2'],
      [3, 'boom on attempt 3'],
      [4, 'boom on attempt 4'],
    ]);
    const body = JSON.parse(dead.content.toString());
    expect(body).toMatchObject({ id: event.id, type: 'DOOMED', data: { n: 1 }, correlationid: 'tx-123' });
    expect(dead.properties).toMatchObject({ messageId: event.id, correlationId: 'tx-123', type: 'DOOMED' });
  });

  it('doubles the gap between attempts with exponential backoff', async () => {
    const { attempts, sub } = await subscribeRecording('BACKOFF', () => true, {
      retryCount: 3,
      retryDelay: 100,
      retryBackoff: 'exponential',
    });
    const event = await service.bus.publish({ type: 'BACKOFF', data: {} });
    await raw.nextMessage(`${sub.queue}.dlq`, 15_000);
    const at = attempts.get(event.id)!.map((a) => a.at);
    const gaps = [at[1] - at[0], at[2] - at[1], at[3] - at[2]];
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
    // One wait queue per delay, named after the handler's queue.
    for (const delay of [100, 200, 400]) {
      await expect(raw.channel.checkQueue(`${sub.queue}.retry.${delay}`)).resolves.toMatchObject({ queue: `${sub.queue}.retry.${delay}` });
    }
  });

  it('dead-letters a NonRetryableError after one attempt', async () => {
    const calls: number[] = [];
    const sub = await service.bus.subscribe('FATAL', (_e: EventEnvelope, ctx: EventContext) => {
      calls.push(ctx.attempt);
      throw new NonRetryableError('card declined for good');
    });
    queues.push(sub.queue);
    await service.bus.publish({ type: 'FATAL', data: {} });
    const dead = await raw.nextMessage(`${sub.queue}.dlq`);
    expect(calls).toEqual([1]);
    expect(headersOf(dead)).toMatchObject({ 'x-error': 'card declined for good', 'x-error-name': 'NonRetryableError', 'x-retry-count': 0 });
  });

  it('validates against module schemas: invalid publish rejects before sending, invalid delivery is dead-lettered at once, the handler gets the DTO', async () => {
    const seen: unknown[] = [];
    const sub = await service.bus.subscribe('USER_CREATED', (event: EventEnvelope) => void seen.push(event.data));
    queues.push(sub.queue);

    await expect(
      service.bus.publish({ type: 'USER_CREATED', data: { userId: '1', email: 'not-an-email', role: 'STUDENT' } }),
    ).rejects.toThrow(InvalidEventError);
    await expect(service.bus.publish({ type: 'USER_CREATED', data: { userId: '1', email: 'x', role: 'KING' } })).rejects.toThrow(
      /email must be an email.*role must be one of/,
    );
    expect(await raw.depth(sub.queue)).toBe(0);

    // A producer without validation: the consumer refuses it.
    await raw.publish(topology.exchange, 'USER_CREATED', JSON.stringify({ userId: '2', email: 'nope', role: 'STUDENT' }), {
      messageId: 'bad-user',
    });
    const dead = await raw.nextMessage(`${sub.queue}.dlq`);
    expect(headersOf(dead)['x-error']).toMatch(/email must be an email/);
    expect(headersOf(dead)['x-error-name']).toBe('ValidationFailedError');
    expect(headersOf(dead)['x-retry-count']).toBe(0);

    await service.bus.publish({ type: 'USER_CREATED', data: { userId: '3', email: 'ok@example.com', role: 'TEACHER' } });
    await waitFor(() => seen.length === 1, { message: 'the valid event' });
    expect(seen[0]).toBeInstanceOf(UserCreated);
  });

  it('validates against a per-handler schema', async () => {
    const sub = await service.bus.subscribe('SIGNUP', () => undefined, { schema: UserCreated });
    queues.push(sub.queue);
    await service.bus.publish({ type: 'SIGNUP', data: { userId: 9 } });
    const dead = await raw.nextMessage(`${sub.queue}.dlq`);
    expect(headersOf(dead)['x-error']).toMatch(/userId must be a string/);
  });

  it('dead-letters garbage, oversize and prototype-polluting messages with their reason and carries on', async () => {
    const handled: string[] = [];
    const sub = await service.bus.subscribe('INTAKE', (event: EventEnvelope) => void handled.push(event.id));
    queues.push(sub.queue);

    await raw.publish(topology.exchange, 'INTAKE', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]), { messageId: 'garbage' });
    await raw.publish(topology.exchange, 'INTAKE', Buffer.alloc(1024 * 1024 + 10, 'a'), { messageId: 'oversize' });
    await raw.publish(
      topology.exchange,
      'INTAKE',
      '{"specversion":"1.0","id":"polluter","type":"INTAKE","source":"x","data":{"__proto__":{"polluted":true}}}',
      { messageId: 'polluter', contentType: 'application/cloudevents+json' },
    );
    await raw.publish(topology.exchange, 'INTAKE', '{"constructor":{"prototype":{"polluted":true}}}', { messageId: 'polluter-2' });
    const good = await service.bus.publish({ type: 'INTAKE', data: { ok: true } });
    await waitFor(() => handled.includes(good.id), { message: 'the good event after the bad ones' });

    const reasons = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const dead = await raw.nextMessage(`${sub.queue}.dlq`);
      reasons.set(String(dead.properties.messageId), String(headersOf(dead)['x-error']));
      expect(headersOf(dead)['x-error-name']).toBe('UndecodableMessageError');
    }
    expect(reasons.get('garbage')).toMatch(/not valid JSON/);
    expect(reasons.get('oversize')).toMatch(/exceeds the 1048576-byte limit/);
    expect(reasons.get('polluter')).toMatch(/prototype pollution/);
    expect(reasons.get('polluter-2')).toMatch(/prototype pollution/);
    expect(handled).toEqual([good.id]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses to publish oversize and prototype-polluting data', async () => {
    await expect(service.bus.publish({ type: 'BIG', data: { blob: 'x'.repeat(1024 * 1024) } })).rejects.toThrow(
      /over the 1048576-byte limit/,
    );
    await expect(service.bus.publish({ type: 'EVIL', data: JSON.parse('{"__proto__":{"polluted":1}}') })).rejects.toThrow(/__proto__/);
  });

  it('lets good events flow while others wait for their retries', async () => {
    const good = new Set<string>();
    const failing = new Map<string, number>();
    const sub = await service.bus.subscribe(
      'MIXED',
      (event: EventEnvelope<{ fail: boolean }>) => {
        if (!event.data.fail) return void good.add(event.id);
        failing.set(event.id, (failing.get(event.id) ?? 0) + 1);
        throw new Error('not yet');
      },
      { retryCount: 1, retryDelay: 5000 },
    );
    queues.push(sub.queue);
    const bad = await Promise.all(Array.from({ length: 20 }, () => service.bus.publish({ type: 'MIXED', data: { fail: true } })));
    await waitFor(() => bad.every((e) => failing.get(e.id) === 1), { message: '20 first failures' });
    const fine = await Promise.all(Array.from({ length: 500 }, () => service.bus.publish({ type: 'MIXED', data: { fail: false } })));
    await waitFor(() => good.size === 500, { message: '500 good events' });
    // All 500 were handled while the 20 still sat in the wait queue.
    expect(fine.every((e) => good.has(e.id))).toBe(true);
    expect(bad.every((e) => failing.get(e.id) === 1)).toBe(true);
    expect(await raw.depth(`${sub.queue}.retry.5000`)).toBe(20);
    queues.push(`${sub.queue}.retry.5000`);
  });

  it('retries an ordered handler in place, keeping order', async () => {
    const seen: number[] = [];
    let failedOnce = false;
    const sub = await service.bus.subscribe(
      'SEQ',
      (event: EventEnvelope<{ seq: number }>, ctx: EventContext) => {
        if (event.data.seq === 3 && !failedOnce) {
          failedOnce = true;
          expect(ctx.attempt).toBe(1);
          throw new Error('transient');
        }
        seen.push(event.data.seq);
      },
      { ordered: true, retryDelay: 100 },
    );
    queues.push(sub.queue);
    for (let seq = 0; seq < 8; seq++) await service.bus.publish({ type: 'SEQ', data: { seq } });
    await waitFor(() => seen.length === 8, { message: 'eight ordered events' });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
