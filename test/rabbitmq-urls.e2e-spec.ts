import type { EventEnvelope } from 'nestjs-event-bus';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { findFreePort } from './support/free-port';
import { startPrivateRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq';
import { RawAmqp } from './support/raw-amqp';
import { RABBITMQ_URL, uniqueName, uniqueTopology, type TestTopology } from './support/test-names';
import { deferred, waitFor } from './support/wait-for';

/** How the log names the node of `url` (credentials masked, so only the host is matched). */
const connectedTo = (url: string) => new RegExp(`^LOG Connected to RabbitMQ at amqp://\\S*@${new URL(url).host.replace(/\./g, '\\.')} `);

/**
 * `rabbitmq.urls`: the bus connects to the first node of the list that answers and moves on
 * to the next when it loses one. A dead port and a private node stand in for failed cluster
 * nodes; the shared broker is the node that stays up.
 */
describe('rabbitmq.urls (several node URLs)', () => {
  const services: TestService[] = [];
  const cleanups: Array<{ topology: TestTopology; queue: string }> = [];
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterAll(async () => {
    for (const service of services) await service.close();
    for (const { topology, queue } of cleanups) await raw.cleanupTopology(topology, [queue]);
    await raw?.close();
  });

  it('skips a dead first URL at startup and round-trips an event through the next one', async () => {
    const topology = uniqueTopology('urls-dead-first');
    const serviceName = uniqueName('urls');
    cleanups.push({ topology, queue: `${serviceName}.PING` });
    const deadUrl = `amqp://guest:guest@127.0.0.1:${await findFreePort()}`;
    const started = Date.now();
    const service = await startService(
      testOptions(serviceName, topology, {
        rabbitmq: {
          url: undefined, // testOptions fills in the shared broker's url
          urls: [deadUrl, RABBITMQ_URL],
          exchange: topology.exchange,
          deadLetterExchange: topology.deadLetterExchange,
          heartbeat: 2,
        },
      }),
    );
    services.push(service);
    const startupMs = Date.now() - started;
    const received = deferred<EventEnvelope>();
    await service.bus.subscribe('PING', (event) => received.resolve(event));

    const sent = await service.bus.publish({ type: 'PING', data: { n: 1 } });

    await expect(received.promise).resolves.toMatchObject({ id: sent.id, data: { n: 1 } });
    // One failed attempt costs heartbeat / urls.length (1 s here), not a whole connect timeout.
    expect(startupMs).toBeLessThan(8_000);
    expect(service.logger.lines).toEqual(expect.arrayContaining([expect.stringMatching(connectedTo(RABBITMQ_URL))]));
    expect(service.logger.lines.join('\n')).not.toContain('guest:guest');
  }, 30_000);

  describe('losing the node it is connected to', () => {
    let node: PrivateRabbitMq;

    beforeAll(async () => {
      node = await startPrivateRabbitMq();
    }, 120_000);

    afterAll(async () => {
      await node?.stop();
    }, 60_000);

    it('reconnects to the next node of the list and goes on delivering', async () => {
      const topology = uniqueTopology('urls-failover');
      const serviceName = uniqueName('urls');
      const queue = `${serviceName}.TICK`;
      cleanups.push({ topology, queue });
      const service = await startService(
        testOptions(serviceName, topology, {
          rabbitmq: {
            url: undefined,
            urls: [node.url, RABBITMQ_URL],
            exchange: topology.exchange,
            deadLetterExchange: topology.deadLetterExchange,
            heartbeat: 1,
          },
        }),
      );
      services.push(service);
      const handled: string[] = [];
      await service.bus.subscribe('TICK', (event) => void handled.push(event.id));

      // Connected to the first node of the list: its events never reach the shared broker.
      const before = await service.bus.publish({ type: 'TICK', data: { phase: 'before' } });
      await waitFor(() => handled.includes(before.id), { message: 'the event published through the private node' });
      expect(service.logger.lines).toEqual(expect.arrayContaining([expect.stringMatching(connectedTo(node.url))]));
      expect(await raw.exists(queue)).toBe(false);

      await node.kill();

      // The bus moves on to the shared broker by itself, declares its topology there and consumes.
      await waitFor(() => service.logger.lines.some((l) => connectedTo(RABBITMQ_URL).test(l)), {
        timeoutMs: 20_000,
        message: 'the bus to connect to the next URL',
      });
      await waitFor(() => raw.exists(queue), { message: 'the queue declared on the next node' });
      const after = await service.bus.publish({ type: 'TICK', data: { phase: 'after' } });
      await waitFor(() => handled.includes(after.id), { timeoutMs: 20_000, message: 'the event published after the failover' });
      expect(handled).toEqual([before.id, after.id]);
    }, 90_000);
  });
});
