import { Inject, Injectable, Scope, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ContextIdFactory, REQUEST, type ContextId, type ContextIdStrategy, type HostComponentInfo } from '@nestjs/core';
import { EventPayload, OnEvent, type EventEnvelope } from 'nestjs-event-bus';
import { deleteTestKeys } from './fixtures/handler-fixtures';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

let nextInstance = 0;
const seen: Record<string, Record<string, unknown>[]> = {};
const record = (key: string, value: Record<string, unknown>): void => {
  (seen[key] ??= []).push(value);
};

/** A singleton dependency, to show scoped handlers still get theirs injected. */
@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

/** Request-scoped, as a per-request unit of work or a tenant-aware repository would be. */
@Injectable({ scope: Scope.REQUEST })
class RequestContextHolder {
  readonly instance = ++nextInstance;
  constructor(@Inject(REQUEST) readonly request: EventEnvelope) {}
}

/** A request-scoped handler: a fresh instance per event, with the event as its REQUEST. */
@Injectable({ scope: Scope.REQUEST })
class ScopedHandler {
  readonly instance = ++nextInstance;
  constructor(
    @Inject(REQUEST) private readonly request: EventEnvelope<{ name: string }>,
    private readonly greeter: Greeter,
  ) {}

  @OnEvent('SCOPED')
  handle(event: EventEnvelope<{ name: string }>): void {
    record('scoped', { instance: this.instance, requestIsEvent: this.request === event, greeting: this.greeter.greet(event.data.name) });
  }
}

/** A guard that is itself request-scoped runs for each event too. */
@Injectable({ scope: Scope.REQUEST })
class ScopedGuard implements CanActivate {
  constructor(@Inject(REQUEST) private readonly request: EventEnvelope<{ name: string }>) {}
  canActivate(context: ExecutionContext): boolean {
    return context.getArgs<[EventEnvelope]>()[0] === this.request;
  }
}

/** Declared as a singleton, but scoped through its dependency: Nest makes it request-scoped. */
@Injectable()
class ImplicitlyScopedHandler {
  constructor(private readonly holder: RequestContextHolder) {}

  @UseGuards(ScopedGuard)
  @OnEvent('IMPLICIT')
  handle(@EventPayload('name') name: string): void {
    record('implicit', { holder: this.holder.instance, holderSawEvent: this.holder.request.data, name });
  }
}

/** Transient: the bus gets an instance of its own, with its dependencies injected. */
@Injectable({ scope: Scope.TRANSIENT })
class TransientHandler {
  readonly instance = ++nextInstance;
  constructor(private readonly greeter: Greeter) {}

  @OnEvent('TRANSIENT')
  handle(event: EventEnvelope<{ name: string }>): void {
    record('transient', { instance: this.instance, greeting: this.greeter.greet(event.data.name) });
  }
}

describe('request-scoped and transient @OnEvent handlers', () => {
  const topology = uniqueTopology('scoped');
  const serviceName = uniqueName('scoped');
  let service: TestService;

  beforeAll(async () => {
    service = await startService(testOptions(serviceName, topology), {
      providers: [Greeter, RequestContextHolder, ScopedHandler, ScopedGuard, ImplicitlyScopedHandler, TransientHandler],
    });
  });

  afterAll(async () => {
    await service?.close();
    const raw = await RawAmqp.connect();
    await raw.cleanupTopology(
      topology,
      ['SCOPED', 'IMPLICIT', 'TRANSIENT'].map((t) => `${serviceName}.${t}`),
    );
    await raw.close();
    await deleteTestKeys(topology.keyPrefix);
  });

  it('gives a Scope.REQUEST handler a fresh instance per event, with the event injectable as REQUEST', async () => {
    await service.bus.publish({ type: 'SCOPED', data: { name: 'ada' } });
    await service.bus.publish({ type: 'SCOPED', data: { name: 'bob' } });
    await waitFor(() => (seen.scoped?.length ?? 0) === 2, { message: 'both SCOPED events' });
    const [first, second] = seen.scoped;
    expect(first).toMatchObject({ requestIsEvent: true, greeting: 'hello ada' });
    expect(second).toMatchObject({ requestIsEvent: true, greeting: 'hello bob' });
    expect(first.instance).not.toBe(second.instance);
  });

  it('resolves a handler scoped through a dependency per event, request-scoped guards included', async () => {
    await service.bus.publish({ type: 'IMPLICIT', data: { name: 'cy' } });
    await service.bus.publish({ type: 'IMPLICIT', data: { name: 'di' } });
    await waitFor(() => (seen.implicit?.length ?? 0) === 2, { message: 'both IMPLICIT events' });
    const [first, second] = seen.implicit;
    expect(first).toMatchObject({ holderSawEvent: { name: 'cy' }, name: 'cy' });
    expect(second).toMatchObject({ holderSawEvent: { name: 'di' }, name: 'di' });
    expect(first.holder).not.toBe(second.holder);
  });

  it('gives a transient handler one instance of its own with its dependencies', async () => {
    await service.bus.publish({ type: 'TRANSIENT', data: { name: 'eve' } });
    await service.bus.publish({ type: 'TRANSIENT', data: { name: 'fay' } });
    await waitFor(() => (seen.transient?.length ?? 0) === 2, { message: 'both TRANSIENT events' });
    expect(seen.transient.map((s) => s.greeting)).toEqual(['hello eve', 'hello fay']);
    expect(seen.transient[0].instance).toBe(seen.transient[1].instance);
  });
});

/** Tenants by the event's data: durable providers are shared per tenant (Nest's durable providers recipe). */
class TenantContextStrategy implements ContextIdStrategy<EventEnvelope<{ tenant: string }>> {
  private readonly tenants = new Map<string, ContextId>();

  attach(contextId: ContextId, request: EventEnvelope<{ tenant: string }>) {
    const tenant = request.data.tenant;
    let tenantId = this.tenants.get(tenant);
    if (!tenantId) {
      tenantId = ContextIdFactory.create();
      this.tenants.set(tenant, tenantId);
    }
    const durableId = tenantId;
    return {
      resolve: (info: HostComponentInfo) => (info.isTreeDurable ? durableId : contextId),
      payload: { tenant },
    };
  }
}

@Injectable({ scope: Scope.REQUEST, durable: true })
class TenantHandler {
  readonly instance = ++nextInstance;
  constructor(@Inject(REQUEST) private readonly payload: { tenant: string }) {}

  @OnEvent('TENANT')
  handle(@EventPayload('tenant') tenant: string): void {
    record('tenant', { instance: this.instance, tenant, requestTenant: this.payload.tenant });
  }
}

describe('durable @OnEvent handlers', () => {
  const topology = uniqueTopology('durable');
  const serviceName = uniqueName('durable');
  let service: TestService;

  beforeAll(async () => {
    ContextIdFactory.apply(new TenantContextStrategy());
    service = await startService(testOptions(serviceName, topology), { providers: [TenantHandler] });
  });

  afterAll(async () => {
    await service?.close();
    ContextIdFactory.apply(undefined as unknown as ContextIdStrategy);
    const raw = await RawAmqp.connect();
    await raw.cleanupTopology(topology, [`${serviceName}.TENANT`]);
    await raw.close();
    await deleteTestKeys(topology.keyPrefix);
  });

  it('shares one instance per tenant, with the strategy payload as REQUEST', async () => {
    for (const tenant of ['acme', 'acme', 'globex']) await service.bus.publish({ type: 'TENANT', data: { tenant } });
    await waitFor(() => (seen.tenant?.length ?? 0) === 3, { message: 'the three TENANT events' });
    const [a1, a2, g] = seen.tenant;
    expect([a1.tenant, a2.tenant, g.tenant]).toEqual(['acme', 'acme', 'globex']);
    expect([a1.requestTenant, a2.requestTenant, g.requestTenant]).toEqual(['acme', 'acme', 'globex']);
    expect(a1.instance).toBe(a2.instance);
    expect(g.instance).not.toBe(a1.instance);
  });
});
