import type { Channel, GetMessage } from 'amqplib';
import { DeliveryLimitReachedError, type EventEnvelope } from 'nestjs-event-bus';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RawAmqp } from './support/raw-amqp';
import { uniqueName, uniqueTopology, type TestTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** Arguments the bus declares a durable quorum handler queue with (docs/topology.md). */
function quorumQueueArguments(queue: string, deliveryLimit: number): Record<string, unknown> {
  return {
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': `${queue}.dlq`,
    'x-queue-type': 'quorum',
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
    'x-delivery-limit': deliveryLimit,
  };
}

/**
 * Quorum queues on the shared broker (unique names): wait queues and dead-letter queues of the
 * main queue's type, at-least-once dead-lettering, the delivery limit owned by the bus, and
 * queues left by earlier versions kept as they are.
 */
describe('queueType: quorum', () => {
  let raw: RawAmqp;
  const services: TestService[] = [];
  const cleanups: Array<{ topology: TestTopology; queues: string[] }> = [];

  const start = async (label: string, rabbitmq: Record<string, unknown> = {}, serviceName = uniqueName(label)) => {
    const topology = uniqueTopology(label);
    const service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: { exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange, queueType: 'quorum', ...rabbitmq },
      }),
    );
    services.push(service);
    const queue = `${serviceName}.ORDER_PLACED`;
    cleanups.push({ topology, queues: [queue] });
    return { service, topology, queue };
  };

  /** Whether `queue` exists with exactly these arguments (a declaration the broker compares). */
  const declaredWith = async (queue: string, args: Record<string, unknown>): Promise<boolean> => {
    const ch = await raw.connection.createChannel();
    ch.on('error', () => undefined);
    try {
      await ch.assertQueue(queue, { durable: true, arguments: args });
      return true;
    } catch {
      return false;
    } finally {
      await ch.close().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterAll(async () => {
    for (const service of services) await service.close();
    for (const { topology, queues } of cleanups) await raw.cleanupTopology(topology, queues);
    await raw?.close();
  });

  it('declares the queue, its DLQ and its wait queues as quorum queues that dead-letter at least once, and retries through them', async () => {
    const { service, queue, topology } = await start('quorum-topology', { deliveryLimit: 7 });
    const attempts: number[] = [];
    await service.bus.subscribe('ORDER_PLACED', (_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('first attempt fails');
    });

    await service.bus.publish({ type: 'ORDER_PLACED', data: { id: 1 } });
    await waitFor(() => attempts.length === 2, { message: 'the retry through the quorum wait queue' });

    expect(attempts).toEqual([1, 2]);
    expect(await declaredWith(queue, { ...quorumQueueArguments(queue, 7), 'x-dead-letter-exchange': topology.deadLetterExchange })).toBe(
      true,
    );
    expect(await declaredWith(`${queue}.dlq`, { 'x-queue-type': 'quorum' })).toBe(true);
    expect(
      await declaredWith(`${queue}.retry.50`, {
        'x-queue-type': 'quorum',
        'x-message-ttl': 50,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      }),
    ).toBe(true);
  });

  it('dead-letters an event delivered deliveryLimit times without being settled, with its failure headers, and never runs the handler', async () => {
    const { service, queue } = await start('quorum-limit', { deliveryLimit: 3 });
    const handled: EventEnvelope[] = [];
    const first = await service.bus.subscribe('ORDER_PLACED', (event) => void handled.push(event));
    // The queue exists now, with x-delivery-limit 3; a raw consumer plays the one that crashes.
    await first.unsubscribe();
    const poison = await service.bus.publish({ type: 'ORDER_PLACED', data: { id: 'poison' } });

    // Three deliveries that end without an ack, as a consumer crashing mid-handler leaves them.
    const ch = await raw.connection.createChannel();
    for (let delivery = 0; delivery < 3; delivery++) {
      const message = await waitForMessage(ch, queue);
      expect(Number(message.properties.headers?.['x-delivery-count'])).toBe(delivery);
      ch.nack(message, false, true);
    }
    await ch.close();

    // The broker allows this fourth delivery; the bus dead-letters it itself, with the context.
    await service.bus.subscribe('ORDER_PLACED', (event) => void handled.push(event));
    const letter = await raw.nextMessage(`${queue}.dlq`);
    const headers = letter.properties.headers ?? {};
    expect(letter.properties.messageId).toBe(poison.id);
    expect(headers['x-error-name']).toBe(DeliveryLimitReachedError.name);
    expect(String(headers['x-error'])).toMatch(/^Delivered 3 times without being settled: the consumer crashed or lost its connection/);
    expect(headers['x-original-queue']).toBe(queue);
    expect(headers['x-original-routing-key']).toBe('ORDER_PLACED');
    expect(typeof headers['x-failed-at']).toBe('string');
    expect(JSON.parse(String(headers['x-retry-history']))).toEqual([
      expect.objectContaining({ attempt: 1, error: String(headers['x-error']) }),
    ]);
    expect(handled).toEqual([]);
    // Nothing lost, nothing left behind: the one copy was the dead letter, the queue is empty.
    await waitFor(async () => (await raw.depth(queue)) === 0, { message: 'the queue to be empty' });
    expect(await raw.depth(`${queue}.dlq`)).toBe(0);

    // Events below the limit are handled as ever.
    const fine = await service.bus.publish({ type: 'ORDER_PLACED', data: { id: 'fine' } });
    await waitFor(() => handled.some((e) => e.id === fine.id), { message: 'an ordinary event to be handled' });
  }, 60_000);

  it('keeps quorum queues and classic wait queues an earlier version declared, warns, and works with them', async () => {
    const serviceName = uniqueName('quorum-legacy');
    const queue = `${serviceName}.ORDER_PLACED`;
    const topology = uniqueTopology('quorum-legacy');
    cleanups.push({ topology, queues: [queue] });
    await raw.channel.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': `${queue}.dlq`,
        'x-queue-type': 'quorum',
      },
    });
    await raw.channel.assertQueue(`${queue}.retry.50`, {
      durable: true,
      arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 50, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });

    const service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: { exchange: topology.exchange, deadLetterExchange: topology.deadLetterExchange, queueType: 'quorum' },
      }),
    );
    services.push(service);
    const attempts: number[] = [];
    await service.bus.subscribe('ORDER_PLACED', (_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('first attempt fails');
    });
    await service.bus.publish({ type: 'ORDER_PLACED', data: { id: 1 } });
    await waitFor(() => attempts.length === 2, { message: 'the retry through the kept classic wait queue' });

    const warnings = service.logger.lines.filter((l) => l.startsWith('WARN') && l.includes('exists as an earlier version declared it'));
    expect(warnings).toEqual([
      expect.stringContaining(
        `Queue "${queue}" exists as an earlier version declared it, without x-dead-letter-strategy="at-least-once", x-overflow="reject-publish", x-delivery-limit=20`,
      ),
      expect.stringContaining(`Queue "${queue}.retry.50" exists as an earlier version declared it, without x-queue-type="quorum"`),
    ]);
  });
});

/** The next message of `queue`, taken without ack on `channel`. */
async function waitForMessage(channel: Channel, queue: string): Promise<GetMessage> {
  let message: GetMessage | false = false;
  await waitFor(
    async () => {
      message = await channel.get(queue, { noAck: false });
      return message !== false;
    },
    { message: `a message on ${queue}` },
  );
  return message as unknown as GetMessage;
}
