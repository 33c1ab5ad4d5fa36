import {
  Injectable,
  ParseIntPipe,
  UseGuards,
  UsePipes,
  ValidationPipe,
  type CanActivate,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import type { GetMessage } from 'amqplib';
import {
  Event,
  EventCtx,
  EventHeader,
  EventPayload,
  OnEvent,
  type EventBusOptions,
  type EventContext,
  type EventEnvelope,
} from 'nestjs-event-bus';
import { deleteTestKeys, SignUpDto } from './fixtures/handler-fixtures';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';
/** Calls of BlockingGuard (no retries means one call per event). */
let guardCalls = 0;

/** Lets events through unless their data says `blocked`. */
@Injectable()
class BlockingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    guardCalls++;
    return context.getArgs<[EventEnvelope<string>]>()[0].data !== 'blocked';
  }
}

/** A pipe that fails for a reason retrying can fix (a lookup whose database is down). */
class FlakyLookupPipe implements PipeTransform {
  failuresLeft = 1;
  transform(value: unknown): unknown {
    if (this.failuresLeft-- > 0) throw new Error('lookup database unreachable');
    return value;
  }
}

const seen: Record<string, unknown[]> = {};
const record = (key: string, value: unknown): void => {
  (seen[key] ??= []).push(value);
};
const flaky = new FlakyLookupPipe();

@Injectable()
class ParamHandlers {
  @OnEvent('PARTS')
  parts(
    @EventPayload() data: unknown,
    @EventPayload('user.address.city') city: unknown,
    @EventPayload('user.missing.deeper') missing: unknown,
    @Event() event: EventEnvelope,
    @EventCtx() ctx: EventContext,
    @EventHeader('x-tenant') tenant: unknown,
    @EventHeader() headers: Record<string, unknown>,
  ): void {
    record('parts', { data, city, missing, type: event.type, id: event.id, ctx: { ...ctx }, tenant, headers });
  }

  @OnEvent('SIGN_UP')
  @UsePipes(new ValidationPipe({ transform: true }))
  signUp(@EventPayload() dto: SignUpDto): void {
    record('signUp', { isDto: dto instanceof SignUpDto, domain: dto.domain(), age: dto.age });
  }

  @OnEvent('COUNT')
  count(@EventPayload('n', ParseIntPipe) n: number): void {
    record('count', n);
  }

  @UseGuards(BlockingGuard)
  @OnEvent('GUARDED')
  guarded(@EventPayload() data: string): void {
    record('guarded', data);
  }

  @OnEvent('FLAKY')
  flakyLookup(@EventPayload(flaky) data: string, @EventCtx() ctx: EventContext): void {
    record('flaky', { data, attempt: ctx.attempt });
  }

  @OnEvent('PLAIN')
  plain(event: EventEnvelope<string>, ctx: EventContext): void {
    record('plain', { data: event.data, attempt: ctx.attempt });
  }
}

const headersOf = (message: GetMessage): Record<string, unknown> => message.properties.headers ?? {};

describe('@OnEvent handler parameters, pipes and guards', () => {
  const topology = uniqueTopology('params');
  const serviceName = uniqueName('params');
  const types = ['PARTS', 'SIGN_UP', 'COUNT', 'GUARDED', 'FLAKY', 'PLAIN'];
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(testOptions(serviceName, topology, { rabbitmq: { retryCount: 2 } as EventBusOptions['rabbitmq'] }), {
      providers: [ParamHandlers, BlockingGuard],
    });
  });

  afterAll(async () => {
    await service?.close();
    await raw.cleanupTopology(
      topology,
      types.map((t) => `${serviceName}.${t}`),
    );
    await raw.close();
    await deleteTestKeys(topology.keyPrefix);
  });

  /** The next dead letter of a handler's queue. */
  const deadLetter = (type: string) => raw.nextMessage(`${serviceName}.${type}.dlq`);

  it('hands each decorated parameter its part of the delivery; a missing path gives undefined', async () => {
    const body = {
      specversion: '1.0',
      id: 'evt-parts-1',
      source: 'foreign',
      type: 'PARTS',
      datacontenttype: 'application/json',
      data: { user: { address: { city: 'Lyon' } } },
    };
    await raw.publish(topology.exchange, 'PARTS', JSON.stringify(body), {
      contentType: 'application/cloudevents+json',
      headers: { 'x-tenant': 'acme', 'x-trace': 7 },
    });
    await waitFor(() => (seen.parts?.length ?? 0) === 1, { message: 'the PARTS handler' });
    expect(seen.parts[0]).toEqual({
      data: { user: { address: { city: 'Lyon' } } },
      city: 'Lyon',
      missing: undefined,
      type: 'PARTS',
      id: 'evt-parts-1',
      ctx: { attempt: 1, queue: `${serviceName}.PARTS`, redelivered: false },
      tenant: 'acme',
      headers: { 'x-tenant': 'acme', 'x-trace': 7 },
    });
  });

  it('@UsePipes(ValidationPipe({ transform: true })) gives the handler a DTO instance', async () => {
    await service.bus.publish({ type: 'SIGN_UP', data: { email: 'ada@example.org', age: 36 } });
    await waitFor(() => (seen.signUp?.length ?? 0) === 1, { message: 'the SIGN_UP handler' });
    expect(seen.signUp[0]).toEqual({ isDto: true, domain: 'example.org', age: 36 });
  });

  it('dead-letters data the ValidationPipe refuses at once: reason in x-error, no retries, handler never ran', async () => {
    const before = seen.signUp?.length ?? 0;
    await service.bus.publish({ type: 'SIGN_UP', data: { email: 'not-an-email', age: -1 } });
    const dead = await deadLetter('SIGN_UP');
    const headers = headersOf(dead);
    expect(headers['x-error-name']).toBe('PipeRejectedError');
    expect(headers['x-error']).toBe('Pipe rejected @EventPayload(): email must be an email; age must not be less than 0');
    expect(headers['x-retry-count']).toBe(0);
    expect(JSON.parse(String(headers['x-retry-history']))).toHaveLength(1);
    expect(seen.signUp?.length ?? 0).toBe(before);
    expect(await raw.depth(`${serviceName}.SIGN_UP.retry.50`)).toBe(0);
  });

  it('applies a pipe given to the decorator (ParseIntPipe) and dead-letters what it refuses', async () => {
    await service.bus.publish({ type: 'COUNT', data: { n: '42' } });
    await waitFor(() => (seen.count?.length ?? 0) === 1, { message: 'the COUNT handler' });
    expect(seen.count).toEqual([42]);

    await service.bus.publish({ type: 'COUNT', data: { n: 'forty-two' } });
    const headers = headersOf(await deadLetter('COUNT'));
    expect(headers['x-error-name']).toBe('PipeRejectedError');
    expect(headers['x-error']).toBe("Pipe rejected @EventPayload('n'): Validation failed (numeric string is expected)");
    expect(headers['x-retry-count']).toBe(0);
    expect(seen.count).toEqual([42]);
  });

  it('dead-letters a guard denial at once with the reason, the guard asked once and the handler never run', async () => {
    guardCalls = 0;
    await service.bus.publish({ type: 'GUARDED', data: 'blocked' });
    const headers = headersOf(await deadLetter('GUARDED'));
    expect(headers['x-error-name']).toBe('GuardDeniedError');
    expect(headers['x-error']).toBe('Guard denied the event to ParamHandlers.guarded: Forbidden resource');
    expect(headers['x-retry-count']).toBe(0);
    expect(JSON.parse(String(headers['x-retry-history']))).toHaveLength(1);
    expect(guardCalls).toBe(1);
    expect(seen.guarded).toBeUndefined();

    await service.bus.publish({ type: 'GUARDED', data: 'allowed' });
    await waitFor(() => (seen.guarded?.length ?? 0) === 1, { message: 'the allowed event' });
    expect(seen.guarded).toEqual(['allowed']);
  });

  it('retries a pipe failure that is not a refusal (a plain Error), like a handler failure', async () => {
    await service.bus.publish({ type: 'FLAKY', data: 'x' });
    await waitFor(() => (seen.flaky?.length ?? 0) === 1, { message: 'the retried FLAKY event' });
    expect(seen.flaky).toEqual([{ data: 'x', attempt: 2 }]);
  });

  it('keeps the plain (event, ctx) call for handlers without parameter decorators', async () => {
    await service.bus.publish({ type: 'PLAIN', data: 'p' });
    await waitFor(() => (seen.plain?.length ?? 0) === 1, { message: 'the PLAIN handler' });
    expect(seen.plain).toEqual([{ data: 'p', attempt: 1 }]);
  });
});
