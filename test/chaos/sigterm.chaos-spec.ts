import { ChaosChild } from '../support/chaos-child';
import { cleanUpShared } from '../support/chaos-cleanup';
import { FaultLog } from '../support/chaos-faults';
import { ChaosLedger } from '../support/chaos-ledger';
import { scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordScenario, scenarioRecord } from '../support/chaos-report';
import { RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/** What test/fixtures/chaos-service.js reports after `app.close()` returned. */
interface ChildSummary {
  instance: string;
  attempted: number;
  confirmed: number;
  rejected: Record<string, number>;
}

/**
 * Service processes get SIGTERM while they publish and handle at full speed; each closes
 * its Nest application (`app.close()`), as a deployment does on every rollout. In-flight
 * handlers must finish, every publish already made must settle as confirmed, later ones be
 * refused with EventBusClosedError, and the instances left must handle the rest.
 */
describe('chaos: SIGTERM (app.close()) under publishing and handling load', () => {
  const topology = uniqueTopology('chaos-term');
  const service = uniqueName('chaos-term');
  const events = scaled(8000, 1200);
  const children: ChaosChild[] = [];
  let ledger: ChaosLedger;

  const launch = (instance: string, publish: number): ChaosChild => {
    const child = new ChaosChild(instance, {
      ...ledger.env,
      SERVICE_NAME: service,
      RABBITMQ_URL,
      REDIS_URL,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      REDIS_KEY_PREFIX: topology.keyPrefix,
      EVENT_TYPE: 'JOB',
      CONSUME: '1',
      PREFETCH: '100',
      // Handlers take a while, unevenly, so a shutdown always finds some of them running.
      WORK_MS: '20',
      WORK_JITTER_MS: '40',
      PUBLISH_COUNT: String(publish),
      PUBLISH_CONCURRENCY: '100',
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    ledger = await ChaosLedger.open('sigterm');
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.dispose()));
    await ledger?.close();
    await cleanUpShared(topology, [service]);
  }, 120_000);

  it(`finishes in-flight handlers, settles pending publishes and loses none of ${events} events`, async () => {
    // s1 publishes half the load and handles, s2 handles. s1 gets SIGTERM while it publishes;
    // s3 then publishes the rest and handles; s2 gets SIGTERM while its handlers run.
    const firstHalf = Math.floor(events / 2);
    const s1 = launch('s1', firstHalf);
    const s2 = launch('s2', 0);
    await Promise.all([s1.line('ready'), s2.line('ready')]);
    let confirmed = 0;
    const faults = new FaultLog(
      ledger,
      async () => (await ledger.effectsTotal()) < (await ledger.confirmedCount()),
      () => confirmed,
    );
    await waitFor(async () => (confirmed = await ledger.confirmedCount()) >= Math.floor(firstHalf / 4), {
      timeoutMs: 120_000,
      intervalMs: 10,
      message: 's1 a quarter into its publishing',
    });
    const confirmedAtFirstSigterm = confirmed;
    const stopped: Array<{ child: ChaosChild; exit: { code: number | null; signal: string | null } }> = [];
    await faults.inject('SIGTERM to s1 (publishing and handling)', async () => {
      stopped.push({ child: s1, exit: await s1.signal('SIGTERM') });
    });
    const first = await s1.summary<ChildSummary>();
    const s3 = launch('s3', events - first.confirmed);
    await s3.line('ready');
    // A graceful stop is only tested if it finds handlers running.
    let inFlightAtSecondSigterm = 0;
    await waitFor(
      async () => {
        const { started, effects } = await ledger.instanceActivity('s2');
        inFlightAtSecondSigterm = [...started.keys()].filter((id) => !effects.has(id)).length;
        return inFlightAtSecondSigterm > 0;
      },
      { timeoutMs: 60_000, intervalMs: 10, message: 's2 to be in the middle of handlers' },
    );
    confirmed = await ledger.confirmedCount();
    await faults.inject('SIGTERM to s2 (handlers running)', async () => {
      stopped.push({ child: s2, exit: await s2.signal('SIGTERM') });
    });
    await s3.line('published ', 120_000);
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 120_000 });
    await waitUntilQueuesSettled(`${service}.`);
    const last = { exit: await s3.signal('SIGTERM'), summary: await s3.summary<ChildSummary>() };
    const summaries = [first, last.summary];
    const summary = { attempted: 0, confirmed: 0, rejected: {} as Record<string, number> };
    for (const one of summaries) {
      summary.attempted += one.attempted;
      summary.confirmed += one.confirmed;
      for (const [name, n] of Object.entries(one.rejected)) summary.rejected[name] = (summary.rejected[name] ?? 0) + n;
    }

    const report = await ledger.classify();
    // A handler cut off by the shutdown would show as started on the stopped instance
    // without its effect there.
    const cutOff: string[] = [];
    for (const { child } of stopped) {
      const { started, effects } = await ledger.instanceActivity(child.instance);
      cutOff.push(...[...started.keys()].filter((id) => !effects.has(id)));
    }
    const otherRejections = Object.entries(summary.rejected).filter(([name]) => name !== 'EventBusClosedError');

    recordScenario(
      scenarioRecord(
        {
          id: 'sigterm',
          title: 'SIGTERM (app.close()) under publishing and handling load',
          published: summary.attempted,
          faults: faults.faults,
          drainMs,
          passed: report.lost.length + report.duplicated.length + report.unexpected.length + cutOff.length + otherRejections.length === 0,
          notes: [
            `Service processes with prefetch 100, handlers of 20–60 ms, 100 publishes in flight: s1 publishes ${firstHalf} events and handles, s2 handles; s1 gets SIGTERM after ${confirmedAtFirstSigterm} confirmed publishes, s3 publishes the rest and handles, s2 gets SIGTERM with ${inFlightAtSecondSigterm} handlers running, s3 last once all is handled.`,
            `Publishes per process at shutdown: ${summaries.map((x) => `${x.instance} ${x.attempted} attempted, ${x.confirmed} confirmed, rejected ${JSON.stringify(x.rejected)}`).join('; ')}. Every publish made before the bus closed settled as confirmed; ${summary.rejected.EventBusClosedError ?? 0} made after it closed were refused with EventBusClosedError and never delivered.`,
            `Handlers cut off by a shutdown: ${cutOff.length}; exits: ${stopped.map((s) => `${s.child.instance} code ${s.exit.code}`).join(', ')}.`,
          ],
        },
        report,
      ),
    );

    expect([...stopped.map((s) => s.exit.code), last.exit.code]).toEqual([0, 0, 0]);
    expect(otherRejections).toEqual([]);
    expect(summary.attempted).toBe(summary.confirmed + (summary.rejected.EventBusClosedError ?? 0));
    expect(summary.confirmed).toBe(events);
    // s1 was stopped while publishing, s2 while handling.
    expect(confirmedAtFirstSigterm).toBeLessThan(firstHalf);
    expect(inFlightAtSecondSigterm).toBeGreaterThan(0);
    expect(cutOff).toEqual([]);
    expect(report.confirmed).toBe(summary.confirmed);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
  }, 300_000);
});
