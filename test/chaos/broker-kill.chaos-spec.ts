import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { deleteSharedKeys } from '../support/chaos-cleanup';
import { FaultLog } from '../support/chaos-faults';
import { ChaosLedger } from '../support/chaos-ledger';
import { PublishLoad } from '../support/chaos-load';
import { chaosOptions } from '../support/chaos-options';
import { scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordScenario, scenarioRecord } from '../support/chaos-report';
import { startPrivateRabbitMq, type PrivateRabbitMq } from '../support/private-rabbitmq';
import { uniqueName, uniqueTopology } from '../support/test-names';

/**
 * The broker process dies (SIGKILL) while a publisher pushes thousands of events and two
 * consumer instances handle them, and comes back on the same data directory. Confirmed
 * events were fsynced to the durable queue; acks the crash swallowed turn into redeliveries
 * that the idempotency ledger must absorb.
 */
describe('chaos: RabbitMQ killed with SIGKILL during publishing and consuming', () => {
  const topology = uniqueTopology('chaos-kill');
  const service = uniqueName('chaos-kill');
  const events = scaled(8000, 1200);
  const kills = scaled(3, 1);
  const apps: ChaosApp[] = [];
  let broker: PrivateRabbitMq;
  let ledger: ChaosLedger;

  beforeAll(async () => {
    [broker, ledger] = await Promise.all([startPrivateRabbitMq(), ChaosLedger.open('broker-kill')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await broker?.stop();
    await ledger?.close();
    await deleteSharedKeys(topology.keyPrefix);
  }, 120_000);

  it(`loses and duplicates none of ${events} events across ${kills} broker crash(es)`, async () => {
    // Nest's static logger is one per process: every app of the scenario shares this log.
    const log = new CapturedLog();
    const options = (name: string) => chaosOptions(name, topology, { rabbitmq: { url: broker.url } });
    const [a, b, publisher] = await Promise.all([
      startChaosApp(options(service), log),
      startChaosApp(options(service), log),
      startChaosApp(options(uniqueName('chaos-kill-pub')), log),
    ]);
    apps.push(a, b, publisher);
    await a.bus.subscribe('TICK', ledger.handler('a'));
    await b.bus.subscribe('TICK', ledger.handler('b'));

    const load = new PublishLoad(publisher.bus, ledger, { type: 'TICK', count: events, concurrency: 200 });
    const faults = new FaultLog(
      ledger,
      async () => load.attempted < events || (await ledger.effectsTotal()) < load.confirmed,
      () => load.confirmed,
    );
    const loading = load.run();
    for (let k = 1; k <= kills; k++) {
      await faults.when(() => load.confirmed, Math.floor((events * k) / (kills + 1)), 'confirmed publishes');
      await faults.inject('broker kill -9, restart', async () => {
        await broker.kill();
        await broker.restart();
      });
    }
    const result = await loading;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 120_000 });
    await waitUntilQueuesSettled(service, { nodeName: broker.nodeName });
    const report = await ledger.classify();

    const clean = Object.keys(result.rejected).length === 0 && result.confirmed === events;
    recordScenario(
      scenarioRecord(
        {
          id: 'broker-kill',
          title: 'Broker killed (SIGKILL) and restarted during publishing and consuming',
          published: result.attempted,
          faults: faults.faults,
          drainMs,
          passed: clean && report.lost.length + report.duplicated.length + report.unexpected.length === 0,
          notes: [
            `${kills} kill(s) of a private node, data directory kept; 2 consumer instances, 1 publisher, 200 publishes in flight, durable queue, persistent messages.`,
            `Publish rejections: ${JSON.stringify(result.rejected)} (publishes wait through the outage, bounded by publishTimeout 30 s).`,
            `Redeliveries the ledger acked without running the handler: ${log.count('debug', 'Duplicate event acked')}.`,
          ],
        },
        report,
      ),
    );

    expect(result.rejected).toEqual({});
    expect(result.confirmed).toBe(events);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.handled).toBe(events);
  }, 300_000);
});
