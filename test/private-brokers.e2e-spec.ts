import * as amqp from 'amqplib';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PrivateRabbitMq, startPrivateRabbitMq } from './support/private-rabbitmq';
import { PrivateRedis, startPrivateRedis } from './support/private-redis';

/**
 * The private brokers are what the failure tests stand on: if killing or restarting one
 * did not behave like a real outage, those tests would prove nothing.
 */

/** Connects and swallows the 'error' event, which amqplib emits when the broker goes away. */
async function connectAmqp(url: string): Promise<amqp.ChannelModel> {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  return connection;
}

/** Resolves on the emitter's next `event`; unlike events.once, an 'error' before it is no failure. */
function next(emitter: EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

/** A client that gives up at once, so an unreachable server shows up as a rejected connect. */
function oneShotRedis(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  return client;
}

describe('private RabbitMQ node', () => {
  let broker: PrivateRabbitMq | undefined;
  const durableQueue = `evbus.selfcheck.${randomUUID()}`;

  beforeAll(async () => {
    broker = await startPrivateRabbitMq();
  }, 90_000);

  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('accepts AMQP connections on its own port', async () => {
    expect(broker!.port).not.toBe(5672);
    const connection = await connectAmqp(broker!.url);
    const channel = await connection.createChannel();
    await channel.assertQueue(durableQueue, { durable: true });
    await connection.close();
  });

  it('drops client connections on closeAllConnections()', async () => {
    const connection = await connectAmqp(broker!.url);
    const closed = next(connection, 'close');
    await broker!.closeAllConnections('self-check');
    await closed;
  });

  it('is unreachable after kill() and reachable again after restart()', async () => {
    const connection = await connectAmqp(broker!.url);
    const closed = next(connection, 'close');
    await broker!.kill();
    await closed;
    await expect(amqp.connect(broker!.url)).rejects.toThrow();

    await broker!.restart();
    const again = await connectAmqp(broker!.url);
    await again.close();
  }, 90_000);

  it('keeps its durable queues across a restart', async () => {
    // A graceful restart: right after a declaration, a kill -9 may beat the broker's own
    // metadata flush, which is the broker's business, not this helper's.
    const before = await connectAmqp(broker!.url);
    await (await before.createChannel()).assertQueue(durableQueue, { durable: true });
    await before.close();
    await broker!.restart();
    const again = await connectAmqp(broker!.url);
    const channel = await again.createChannel();
    await expect(channel.checkQueue(durableQueue)).resolves.toMatchObject({ queue: durableQueue });
    await again.close();
  }, 90_000);

  it('is unreachable after stop(), and stop() may be repeated', async () => {
    await broker!.stop();
    await expect(amqp.connect(broker!.url)).rejects.toThrow();
    await expect(broker!.stop()).resolves.toBeUndefined();
  }, 60_000);
});

describe('private Redis server', () => {
  let server: PrivateRedis | undefined;

  beforeAll(async () => {
    server = await startPrivateRedis();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it('answers on its own port', async () => {
    expect(server!.port).not.toBe(6379);
    const client = oneShotRedis(server!.url);
    await client.connect();
    await expect(client.ping()).resolves.toBe('PONG');
    client.disconnect();
  });

  it('is unreachable after kill() and reachable again after restart()', async () => {
    const client = oneShotRedis(server!.url);
    await client.connect();
    const ended = next(client, 'end');
    await server!.kill();
    await ended;
    await expect(oneShotRedis(server!.url).connect()).rejects.toThrow();

    await server!.restart();
    const again = oneShotRedis(server!.url);
    await again.connect();
    await expect(again.ping()).resolves.toBe('PONG');
    again.disconnect();
  });

  it('is unreachable after stop(), and stop() may be repeated', async () => {
    await server!.stop();
    await expect(oneShotRedis(server!.url).connect()).rejects.toThrow();
    await expect(server!.stop()).resolves.toBeUndefined();
  });
});
