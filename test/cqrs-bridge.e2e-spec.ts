import { CqrsModule, EventBus as CqrsEventBus, EventsHandler, type IEvent, type IEventHandler } from '@nestjs/cqrs';
import type { EventEnvelope } from 'nestjs-event-bus';
import { CqrsEventType, EventBusCqrsModule } from 'nestjs-event-bus/cqrs';
import { deleteTestKeys } from './fixtures/handler-fixtures';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** Bridged under a name of its own. */
@CqrsEventType('USER_REGISTERED')
class UserRegisteredEvent implements IEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
  ) {}

  domain(): string {
    return this.email.split('@')[1];
  }
}

/** Bridged under its class name. */
class OrderPlacedEvent implements IEvent {
  constructor(readonly orderId: string) {}
}

/** Not bridged: stays in process. */
class CacheWarmedEvent implements IEvent {
  constructor(readonly region: string) {}
}

/** What each service's CQRS handlers received, by service. */
const received: Record<string, { handler: string; event: unknown }[]> = {};

function handlersFor(service: string) {
  const log = (handler: string, event: unknown) => (received[service] ??= []).push({ handler, event });

  @EventsHandler(UserRegisteredEvent)
  class UserRegisteredHandler implements IEventHandler<UserRegisteredEvent> {
    handle(event: UserRegisteredEvent): void {
      log('user', { isInstance: event instanceof UserRegisteredEvent, userId: event.userId, domain: event.domain() });
    }
  }

  @EventsHandler(OrderPlacedEvent)
  class OrderPlacedHandler implements IEventHandler<OrderPlacedEvent> {
    handle(event: OrderPlacedEvent): void {
      log('order', { isInstance: event instanceof OrderPlacedEvent, orderId: event.orderId });
    }
  }

  @EventsHandler(CacheWarmedEvent)
  class CacheWarmedHandler implements IEventHandler<CacheWarmedEvent> {
    handle(event: CacheWarmedEvent): void {
      log('cache', { region: event.region });
    }
  }

  return [UserRegisteredHandler, OrderPlacedHandler, CacheWarmedHandler];
}

describe('@nestjs/cqrs bridge', () => {
  const topology = uniqueTopology('cqrs');
  const names = { a: uniqueName('cqrs-a'), b: uniqueName('cqrs-b') };
  const observer = uniqueName('cqrs-observer');
  const plainQueue = `${names.b}.plain.USER_REGISTERED`;
  let raw: RawAmqp;
  let a: TestService;
  let b: TestService;

  /** What an ordinary bus subscriber (in b, on a queue of its own) sees of the bridged events. */
  const plain: EventEnvelope[] = [];

  const start = (name: string) =>
    startService(testOptions(name, topology), {
      imports: [CqrsModule.forRoot(), EventBusCqrsModule.forRoot({ events: [UserRegisteredEvent, OrderPlacedEvent] })],
      providers: handlersFor(name),
    });

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    a = await start(names.a);
    b = await start(names.b);
    await b.bus.subscribe('USER_REGISTERED', (event) => void plain.push(event), { queue: plainQueue });
    // Everything that crosses the exchange, to count what was published.
    await raw.channel.assertQueue(observer, { durable: false, autoDelete: false });
    await raw.channel.bindQueue(observer, topology.exchange, '#');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    const queues = [names.a, names.b].flatMap((n) => [`${n}.USER_REGISTERED`, `${n}.OrderPlacedEvent`]);
    await raw.cleanupTopology(topology, [...queues, plainQueue]);
    await raw.cleanup({ queues: [observer] });
    await raw.close();
    await deleteTestKeys(topology.keyPrefix);
  });

  /** Messages on the observer queue, by routing key (drains it). */
  async function published(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (;;) {
      const message = await raw.channel.get(observer, { noAck: true });
      if (!message) return counts;
      counts[message.fields.routingKey] = (counts[message.fields.routingKey] ?? 0) + 1;
    }
  }

  /** Waits until a bridged queue is empty and nothing on it is unacked: a loop would keep it busy. */
  async function settled(queue: string): Promise<void> {
    await waitFor(async () => (await raw.depth(queue)) === 0 && (await unackedCount(queue)) === 0, { message: `${queue} to settle` });
  }

  it('sends a bridged CQRS event out once and runs the @EventsHandlers of every bridging service once, itself included', async () => {
    await a.app.get(CqrsEventBus).publish(new UserRegisteredEvent('u-1', 'ada@example.org'));
    await waitFor(() => (received[names.a]?.length ?? 0) === 1 && (received[names.b]?.length ?? 0) === 1, {
      message: 'both services to handle USER_REGISTERED',
    });
    const expected = { handler: 'user', event: { isInstance: true, userId: 'u-1', domain: 'example.org' } };
    expect(received[names.a]).toEqual([expected]);
    expect(received[names.b]).toEqual([expected]);

    // A consumed event is not published again: once both queues settled, the exchange saw it once.
    await settled(`${names.a}.USER_REGISTERED`);
    await settled(`${names.b}.USER_REGISTERED`);
    expect(await published()).toEqual({ USER_REGISTERED: 1 });
    expect(received[names.a]).toHaveLength(1);
    expect(received[names.b]).toHaveLength(1);

    // Other services see an ordinary bus event, with the CQRS event's fields as data.
    await waitFor(() => plain.length === 1, { message: 'the plain bus subscriber' });
    expect(plain[0]).toMatchObject({ type: 'USER_REGISTERED', data: { userId: 'u-1', email: 'ada@example.org' } });
    expect(plain[0].metadata.source).toBe(names.a);
  }, 30_000);

  it('names a class without @CqrsEventType by its class name, and keeps unbridged events in process', async () => {
    received[names.a] = [];
    received[names.b] = [];
    await b.app.get(CqrsEventBus).publishAll([new OrderPlacedEvent('o-7'), new CacheWarmedEvent('eu')]);
    await waitFor(() => (received[names.a]?.length ?? 0) === 1 && (received[names.b]?.length ?? 0) === 2, {
      message: 'OrderPlacedEvent in both services and CacheWarmedEvent in b',
    });
    expect(received[names.a]).toEqual([{ handler: 'order', event: { isInstance: true, orderId: 'o-7' } }]);
    expect(received[names.b]).toEqual(
      expect.arrayContaining([
        { handler: 'order', event: { isInstance: true, orderId: 'o-7' } },
        { handler: 'cache', event: { region: 'eu' } },
      ]),
    );
    await settled(`${names.a}.OrderPlacedEvent`);
    await settled(`${names.b}.OrderPlacedEvent`);
    expect(await published()).toEqual({ OrderPlacedEvent: 1 });
  }, 30_000);

  it('dead-letters a bridged event whose data cannot become its class, rather than dropping it', async () => {
    await a.bus.publish({ type: 'OrderPlacedEvent', data: 'not an object' });
    const dead = await raw.nextMessage(`${names.b}.OrderPlacedEvent.dlq`);
    expect(dead.properties.headers?.['x-error']).toBe(
      'CQRS bridge: OrderPlacedEvent data must be a JSON object to become a OrderPlacedEvent',
    );
    expect(dead.properties.headers?.['x-error-name']).toBe('NonRetryableError');
    await raw.nextMessage(`${names.a}.OrderPlacedEvent.dlq`);
    await published();
  });
});

describe('EventBusCqrsModule options', () => {
  it('names every problem at once', () => {
    @CqrsEventType('ORDER_PLACED')
    class Placed {}
    @CqrsEventType('ORDER_PLACED')
    class AlsoPlaced {}
    expect(() => EventBusCqrsModule.forRoot({ events: [Placed, AlsoPlaced, 'nope' as never], subscribe: { queue: 'q' } as never })).toThrow(
      [
        'EventBusCqrsModule.forRoot():',
        '  - events[1] (AlsoPlaced): type "ORDER_PLACED" is also the type of Placed; give one a @CqrsEventType',
        '  - events[2]: must be a CQRS event class',
        '  - subscribe.queue: each bridged event has a queue of its own (<serviceName>.<type>); leave queue out',
      ].join('\n'),
    );
    expect(() => EventBusCqrsModule.forRoot({ events: [] })).toThrow(/events must be a non-empty array/);
    expect(() => CqrsEventType('has space')).toThrow(/@CqrsEventType: type must be/);
  });
});
