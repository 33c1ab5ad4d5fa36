import { Injectable } from '@nestjs/common';
import { CloudEvent } from 'cloudevents';
import { EventBus, OnEvent, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

interface UserCreated {
  userId: string;
  email: string;
  role: string;
}

const received: Array<{ event: EventEnvelope<UserCreated>; ctx: EventContext }> = [];

@Injectable()
class WelcomeHandler {
  @OnEvent('USER_CREATED', { durable: true })
  onUserCreated(event: EventEnvelope<UserCreated>, ctx: EventContext): void {
    received.push({ event, ctx });
  }
}

describe('publish -> handler', () => {
  const topology = uniqueTopology('pubsub');
  const serviceName = uniqueName('svc');
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(testOptions(serviceName, topology), { providers: [WelcomeHandler] });
  });

  afterAll(async () => {
    await service?.close();
    await raw.cleanupTopology(
      topology,
      ['USER_CREATED', 'ORDER_PLACED', 'LEGACY_PING'].map((type) => `${serviceName}.${type}`),
    );
    await raw.cleanup({ queues: ['wire-tap'] });
    await raw.close();
  });

  it('delivers a published event to an @OnEvent handler with a complete envelope', async () => {
    const published = await service.bus.publish(
      { type: 'USER_CREATED', data: { userId: '123', email: 'user@example.com', role: 'STUDENT' } },
      { persistent: true },
    );
    await waitFor(() => received.some((r) => r.event.id === published.id), { message: 'the handler to run' });
    const { event, ctx } = received.find((r) => r.event.id === published.id)!;

    expect(event).toEqual(published);
    expect(event.data).toEqual({ userId: '123', email: 'user@example.com', role: 'STUDENT' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.metadata).toMatchObject({ source: serviceName, version: '1.0.0', schemaVersion: '1.0' });
    expect(event.metadata.correlationId).toEqual(expect.any(String));
    expect(Date.parse(event.metadata.timestamp)).not.toBeNaN();
    expect(new Date(event.metadata.timestamp).toISOString()).toBe(event.metadata.timestamp);
    expect(ctx).toEqual({ attempt: 1, queue: `${serviceName}.USER_CREATED`, redelivered: false });
  });

  it('delivers to a subscribe() handler and keeps explicit id, key and metadata', async () => {
    const got = deferred<EventEnvelope<{ total: number }>>();
    const sub = await service.bus.subscribe<{ total: number }>('ORDER_PLACED', (event) => got.resolve(event));
    expect(sub.queue).toBe(`${serviceName}.ORDER_PLACED`);
    await service.bus.publish({
      type: 'ORDER_PLACED',
      id: 'order-1-placed',
      key: 'order-1',
      data: { total: 42 },
      metadata: { correlationId: 'tx-123', causationId: 'cmd-9', version: '2.0.0', schemaVersion: '2.1' },
    });
    const event = await got.promise;
    expect(event).toMatchObject({
      id: 'order-1-placed',
      type: 'ORDER_PLACED',
      data: { total: 42 },
      metadata: {
        correlationId: 'tx-123',
        causationId: 'cmd-9',
        version: '2.0.0',
        schemaVersion: '2.1',
        key: 'order-1',
        source: serviceName,
      },
    });
    await sub.unsubscribe();
  });

  it('puts a valid CloudEvent on the wire with mirrored AMQP properties', async () => {
    const ch = raw.channel;
    await ch.assertQueue('wire-tap', { exclusive: true });
    await ch.bindQueue('wire-tap', topology.exchange, 'USER_CREATED');
    const published = await service.bus.publish({ type: 'USER_CREATED', key: 'u-7', data: { userId: '7', email: 'a@b.c', role: 'X' } });
    const m = await raw.nextMessage('wire-tap');

    const body = JSON.parse(m.content.toString());
    const cloudEvent = new CloudEvent(body, true); // strict: throws when the event is invalid
    expect(cloudEvent.validate()).toBe(true);
    expect(body).toEqual({
      specversion: '1.0',
      id: published.id,
      source: serviceName,
      type: 'USER_CREATED',
      time: published.metadata.timestamp,
      datacontenttype: 'application/json',
      data: { userId: '7', email: 'a@b.c', role: 'X' },
      correlationid: published.metadata.correlationId,
      partitionkey: 'u-7',
      eventversion: '1.0.0',
      schemaversion: '1.0',
    });
    expect(m.properties).toMatchObject({
      messageId: published.id,
      correlationId: published.metadata.correlationId,
      type: 'USER_CREATED',
      appId: serviceName,
      contentType: 'application/cloudevents+json',
      deliveryMode: 2,
      timestamp: Math.floor(Date.parse(published.metadata.timestamp) / 1000),
    });
  });

  it('sends non-persistent messages when asked', async () => {
    await raw.channel.assertQueue('wire-tap', { exclusive: true });
    await raw.channel.bindQueue('wire-tap', topology.exchange, 'NOTE');
    await service.bus.publish({ type: 'NOTE', data: null }, { persistent: false });
    expect((await raw.nextMessage('wire-tap')).properties.deliveryMode).toBe(1);
  });

  it('accepts a plain JSON message from a foreign producer', async () => {
    const got = deferred<EventEnvelope>();
    const sub = await service.bus.subscribe('LEGACY_PING', (event) => got.resolve(event));
    await raw.publish(topology.exchange, 'LEGACY_PING', JSON.stringify({ hello: 'world' }), {
      messageId: 'legacy-1',
      contentType: 'application/json',
      correlationId: 'legacy-tx',
      appId: 'php-monolith',
    });
    const event = await got.promise;
    expect(event).toMatchObject({
      id: 'legacy-1',
      type: 'LEGACY_PING',
      data: { hello: 'world' },
      metadata: { correlationId: 'legacy-tx', source: 'php-monolith', version: '1.0.0', schemaVersion: '1.0' },
    });
    await sub.unsubscribe();
  });

  it('rejects an invalid event before sending anything', async () => {
    const bus: EventBus = service.bus;
    await expect(bus.publish({ type: 'bad type*', data: {} })).rejects.toThrow(/type must be/);
    await expect(bus.publish({ type: 'OK', data: undefined })).rejects.toThrow(/data is required/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(bus.publish({ type: 'OK', data: circular })).rejects.toThrow(/not JSON-serialisable/);
  });
});
