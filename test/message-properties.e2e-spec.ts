import { Injectable } from '@nestjs/common';
import amqp from 'amqplib';
import { DeadLetterService, NonRetryableError, OnEvent, type EventBusOptions, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const handled: EventEnvelope[] = [];

@Injectable()
class ParcelHandlers {
  @OnEvent('PARCEL_SENT')
  onSent(event: EventEnvelope): void {
    handled.push(event);
  }

  @OnEvent('PARCEL_LOST')
  onLost(): void {
    throw new NonRetryableError('no such parcel');
  }
}

describe("rabbitmq.messageProperties: 'minimal' against consumers with the default", () => {
  const topology = uniqueTopology('minprops');
  const consumerName = uniqueName('minprops-consumer');
  const tapQueue = uniqueName('minprops-tap');
  const queues = ['PARCEL_SENT', 'PARCEL_LOST'].map((type) => `${consumerName}.${type}`);
  let publisher: TestService;
  let consumer: TestService;
  let raw: RawAmqp;
  let tap: { connection: amqp.ChannelModel; channel: amqp.Channel };

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    consumer = await startService(testOptions(consumerName, topology), { providers: [ParcelHandlers] });
    publisher = await startService(
      testOptions(uniqueName('minprops-publisher'), topology, {
        rabbitmq: { messageProperties: 'minimal' } as EventBusOptions['rabbitmq'],
      }),
    );
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    await channel.assertQueue(tapQueue, { durable: false, autoDelete: true });
    await channel.bindQueue(tapQueue, topology.exchange, 'PARCEL_SENT');
    tap = { connection, channel };
  });

  afterAll(async () => {
    await publisher?.close();
    await consumer?.close();
    await tap?.connection.close();
    await raw.cleanupTopology(topology, queues);
    // Never consumed from, so autoDelete never removes it.
    await raw.cleanup({ queues: [tapQueue] });
    await raw.close();
  });

  it('puts only the content type and delivery mode on the message', async () => {
    const sent = await publisher.bus.publish({ type: 'PARCEL_SENT', data: { parcel: 'p-1' } });

    const message = await raw.nextMessage(tapQueue);
    const set = Object.fromEntries(Object.entries(message.properties).filter(([, v]) => v !== undefined && v !== null));
    expect(set).toEqual({ contentType: 'application/cloudevents+json', deliveryMode: 2, headers: {} });
    expect(JSON.parse(message.content.toString())).toMatchObject({ specversion: '1.0', id: sent.id, type: 'PARCEL_SENT' });
  });

  it('is read in full by a consumer configured with the default', async () => {
    const sent = await publisher.bus.publish({ type: 'PARCEL_SENT', data: { parcel: 'p-2' }, metadata: { correlationId: 'corr-p-2' } });

    await waitFor(() => handled.some((e) => e.id === sent.id));
    const event = handled.find((e) => e.id === sent.id);
    expect(event).toEqual(sent);
    expect(event?.metadata.correlationId).toBe('corr-p-2');
  });

  it("gives its dead letter the event's id and type as properties, so it is listed and found by id", async () => {
    const sent = await publisher.bus.publish({ type: 'PARCEL_LOST', data: { parcel: 'p-3' } });
    const dlq = consumer.app.get(DeadLetterService);

    await waitFor(async () => (await dlq.count(`${consumerName}.PARCEL_LOST`)) === 1);
    const [letter] = await dlq.list(`${consumerName}.PARCEL_LOST`);
    expect(letter.eventId).toBe(sent.id);
    expect(letter.type).toBe('PARCEL_LOST');
    expect(letter.correlationId).toBe(sent.metadata.correlationId);
    expect(letter.error).toBe('no such parcel');
  });
});
