import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { ChaosChild } from '../support/chaos-child';
import { cleanUpShared } from '../support/chaos-cleanup';
import { FaultLog } from '../support/chaos-faults';
import { ChaosLedger } from '../support/chaos-ledger';
import { PublishLoad } from '../support/chaos-load';
import { chaosOptions } from '../support/chaos-options';
import { scaled } from '../support/chaos-profile';
import { listQueues, waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordCheck, recordScenario, scenarioRecord } from '../support/chaos-report';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/**
 * The Redis of the idempotency ledger (a private server) dies during consumption and comes
 * back EMPTY: it persists nothing, so every "done" mark is gone. What the library can
 * promise: no handler runs while Redis is away (messages are held, unacked, at most
 * `prefetch` per consumer), and the events held meanwhile are each handled once when it is
 * back. What it cannot: recognise a copy of an event handled before the wipe.
 */
describe('chaos: the ledger Redis killed and restarted empty during consumption', () => {
  const topology = uniqueTopology('chaos-redis');
  const service = uniqueName('chaos-redis');
  const publisherName = uniqueName('chaos-redis-pub');
  const events = scaled(6000, 1000);
  const prefetch = 100;
  const apps: ChaosApp[] = [];
  let redis: PrivateRedis;
  let ledger: ChaosLedger;

  beforeAll(async () => {
    [redis, ledger] = await Promise.all([startPrivateRedis(), ChaosLedger.open('redis-restart')]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await redis?.stop();
    await ledger?.close();
    await cleanUpShared(topology, [service, publisherName]);
  }, 120_000);

  it(`holds the events while Redis is down and handles each of ${events} once`, async () => {
    const log = new CapturedLog();
    const options = (name: string) =>
      chaosOptions(name, topology, { rabbitmq: { prefetch }, redis: { url: redis.url, keyPrefix: topology.keyPrefix } });
    const [a, b, publisher] = await Promise.all([
      startChaosApp(options(service), log),
      startChaosApp(options(service), log),
      startChaosApp(options(publisherName), log),
    ]);
    apps.push(a, b, publisher);
    await a.bus.subscribe('ORDER', ledger.handler('a'));
    await b.bus.subscribe('ORDER', ledger.handler('b'));

    const load = new PublishLoad(publisher.bus, ledger, { type: 'ORDER', count: events, concurrency: 100 });
    const faults = new FaultLog(
      ledger,
      async () => load.attempted < events || (await ledger.effectsTotal()) < load.confirmed,
      () => load.confirmed,
    );
    const loading = load.run();
    await faults.when(() => load.confirmed, Math.floor(events / 4), 'confirmed publishes');

    let effectsWhileDown = -1;
    let held = { ready: 0, unacked: 0 };
    let confirmedDuringOutage = 0;
    await faults.inject('ledger Redis kill -9, restart empty', async () => {
      await redis.kill();
      const confirmedAtKill = load.confirmed;
      // Handlers that had their lease when Redis died finish their effect; then nothing moves.
      await waitFor(async () => (await listQueues(`${service}.`)).some((q) => q.unacked >= 2 * prefetch), {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: 'both consumers to hold a full prefetch',
      });
      effectsWhileDown = await ledger.effectsTotal();
      // The rest of the load is published while Redis stays down: none of it may be handled yet.
      await faults.when(() => load.settled, events, 'publishes during the outage');
      const queue = (await listQueues(`${service}.`)).find((q) => q.name === `${service}.ORDER`);
      held = { ready: queue?.ready ?? 0, unacked: queue?.unacked ?? 0 };
      effectsWhileDown = (await ledger.effectsTotal()) - effectsWhileDown;
      confirmedDuringOutage = load.confirmed - confirmedAtKill;
      await redis.restart();
    });
    const result = await loading;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 120_000 });
    await waitUntilQueuesSettled(`${service}.`);
    const report = await ledger.classify();

    // The limit of a wiped ledger, measured: copies of events handled before and after the restart.
    const sample = scaled(20, 10);
    const before = load.ids.slice(0, sample);
    const after = load.ids.slice(-sample);
    const effectsBeforeCopies = await ledger.effectsTotal();
    await Promise.all([...before, ...after].map((id) => publisher.bus.publish({ id, type: 'ORDER', data: { copy: true } })));
    await waitUntilQueuesSettled(`${service}.`);
    const rerun = (await ledger.effectsTotal()) - effectsBeforeCopies;
    const rerunAfter = (await ledger.classify()).duplicated.filter((d) => after.includes(d.id)).length;

    recordScenario(
      scenarioRecord(
        {
          id: 'redis-restart',
          title: 'Ledger Redis killed and restarted empty during consumption',
          published: result.attempted,
          faults: faults.faults,
          drainMs,
          notes: [
            `Private redis-server (no persistence) for the bus; 2 consumer instances (prefetch ${prefetch}), 1 publisher.`,
            `During the outage ${confirmedDuringOutage} events were confirmed; the queue then had ${held.ready} ready and ${held.unacked} unacked (held by the consumers, at most 2 x prefetch); handler effects while Redis was down: ${effectsWhileDown}.`,
            `Every event held during the outage was handled exactly once after the restart.`,
            `What a wiped ledger cannot do: ${sample} copies of events handled before the restart were published again with the same ids and ${rerun - rerunAfter} of them ran again (their "done" marks were lost with the data); ${sample} copies of events handled after the restart: ${rerunAfter} ran again.`,
          ],
        },
        report,
      ),
    );

    expect(result.rejected).toEqual({});
    expect(effectsWhileDown).toBe(0);
    expect(held.unacked).toBeLessThanOrEqual(2 * prefetch);
    expect(held.ready).toBeGreaterThan(0);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(rerunAfter).toBe(0);
  }, 300_000);

  it('holds a full prefetch during an outage without printing an EventTarget leak warning', async () => {
    // Every held message waits on its consumer's one stop signal; a consumer holding more than
    // ten adds more than ten abort listeners to it, and Node prints "MaxListenersExceededWarning:
    // Possible EventTarget memory leak detected" to the service's stderr at every outage.
    const name = uniqueName('chaos-redis-hold');
    const child = new ChaosChild('hold', {
      ...ledger.env,
      SERVICE_NAME: name,
      RABBITMQ_URL,
      REDIS_URL: redis.url,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      REDIS_KEY_PREFIX: topology.keyPrefix,
      EVENT_TYPE: 'HOLD',
      CONSUME: '1',
      PREFETCH: '50',
    });
    try {
      await child.line('ready');
      const publisher = await startChaosApp(chaosOptions(`${name}-pub`, topology), new CapturedLog());
      apps.push(publisher);
      await redis.kill();
      const held = await Promise.all(Array.from({ length: 50 }, (_, i) => publisher.bus.publish({ type: 'HOLD', data: { i } })));
      await waitFor(async () => (await listQueues(`${name}.`)).some((q) => q.name === `${name}.HOLD` && q.unacked === 50), {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: 'the consumer to hold 50 messages',
      });
      await redis.restart();
      await waitFor(async () => (await ledger.unhandled(held.map((e) => e.id))).length === 0, {
        timeoutMs: 30_000,
        message: 'the held events to be handled',
      });
      await child.signal('SIGTERM');
    } finally {
      await child.dispose();
      await cleanUpShared(topology, [name, `${name}-pub`]);
    }
    const warning = /^.*MaxListenersExceededWarning.*$/m.exec(child.stderr)?.[0];
    recordCheck(
      'redis-outage-listener-warning',
      'A consumer holding a full prefetch during a Redis outage prints no listener-leak warning',
      warning === undefined,
      warning ? `the service printed: ${warning.replace(/^\(node:\d+\) /, '')}` : 'nothing on stderr about listeners',
    );
    expect(child.stderr).not.toContain('MaxListenersExceededWarning');
  }, 120_000);
});
