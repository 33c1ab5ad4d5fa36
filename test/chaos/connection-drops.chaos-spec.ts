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
 * The broker drops every client connection (`rabbitmqctl close_all_connections`) again and
 * again under load: publishes in flight lose their channel, deliveries lose the channel
 * they must be acked on. Each time the bus must reconnect, re-send what was unconfirmed and
 * let the ledger absorb the redeliveries.
 */
describe('chaos: every connection closed by the broker, several times under load', () => {
  const topology = uniqueTopology('chaos-drop');
  const service = uniqueName('chaos-drop');
  const events = scaled(10_000, 1500);
  const drops = scaled(6, 3);
  const apps: ChaosApp[] = [];
  let broker: PrivateRabbitMq;
  let ledger: ChaosLedger;

  beforeAll(async () => {
    [broker, ledger] = await Promise.all([startPrivateRabbitMq(), ChaosLedger.open('connection-drops')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await broker?.stop();
    await ledger?.close();
    await deleteSharedKeys(topology.keyPrefix);
  }, 120_000);

  it(`loses and duplicates none of ${events} events across ${drops} connection drops`, async () => {
    // Nest's static logger is one per process: every app of the scenario shares this log.
    const log = new CapturedLog();
    const options = (name: string) => chaosOptions(name, topology, { rabbitmq: { url: broker.url } });
    const [a, b, publisher] = await Promise.all([
      startChaosApp(options(service), log),
      startChaosApp(options(service), log),
      startChaosApp(options(uniqueName('chaos-drop-pub')), log),
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
    for (let d = 1; d <= drops; d++) {
      await faults.when(() => load.confirmed, Math.floor((events * d) / (drops + 1)), 'confirmed publishes');
      await faults.inject('close_all_connections', () => broker.closeAllConnections('chaos: connection drop'));
    }
    const result = await loading;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 120_000 });
    await waitUntilQueuesSettled(service, { nodeName: broker.nodeName });
    const report = await ledger.classify();

    const clean = Object.keys(result.rejected).length === 0 && result.confirmed === events;
    recordScenario(
      scenarioRecord(
        {
          id: 'connection-drops',
          title: 'All connections closed by the broker, repeatedly, under load',
          published: result.attempted,
          faults: faults.faults,
          drainMs,
          passed: clean && report.lost.length + report.duplicated.length + report.unexpected.length === 0,
          notes: [
            `${drops} x rabbitmqctl close_all_connections on a private node; 2 consumer instances, 1 publisher, 200 publishes in flight.`,
            `Publish rejections: ${JSON.stringify(result.rejected)}.`,
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
