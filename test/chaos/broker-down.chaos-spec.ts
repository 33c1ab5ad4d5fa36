import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventBus } from 'nestjs-event-bus';
import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { deleteSharedKeys } from '../support/chaos-cleanup';
import { FaultLog } from '../support/chaos-faults';
import { ChaosLedger } from '../support/chaos-ledger';
import { PublishLoad } from '../support/chaos-load';
import { setMemoryAlarm } from '../support/chaos-memory-alarm';
import { chaosOptions, type ChaosOptionOverrides } from '../support/chaos-options';
import { scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { MiB, retainedBytes } from '../support/chaos-memory';
import { recordCheck, recordScenario, scenarioRecord } from '../support/chaos-report';
import { startPrivateRabbitMq, type PrivateRabbitMq } from '../support/private-rabbitmq';
import { uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/** How one publish ended, and after how long. */
interface Outcome {
  id: string;
  error: string;
  ms: number;
}

/** Publishes one event and reports how it ended; the ledger learns the outcome too. */
async function timedPublish(bus: EventBus, ledger: ChaosLedger, type: string, data: unknown): Promise<Outcome> {
  const id = randomUUID();
  const started = performance.now();
  try {
    await bus.publish({ id, type, data });
    ledger.recordConfirmed(id);
    return { id, error: 'none', ms: performance.now() - started };
  } catch (err) {
    ledger.recordUnconfirmed(id, (err as Error).name);
    return { id, error: (err as Error).name, ms: performance.now() - started };
  }
}

const names = (outcomes: Outcome[]) => [...new Set(outcomes.map((o) => o.error))];

/**
 * `publish()` while the broker is unreachable: it waits in a bounded buffer, is refused at
 * once past `maxPendingPublishes`, fails with PublishTimeoutError past `publishTimeout`, and
 * what waited is sent when the broker is back. All against a private node.
 */
describe('chaos: publishing while the broker is down', () => {
  const topology = uniqueTopology('chaos-down');
  const log = new CapturedLog();
  const apps: ChaosApp[] = [];
  const ledgers: ChaosLedger[] = [];
  let broker: PrivateRabbitMq;

  const start = async (name: string, rabbitmq: ChaosOptionOverrides['rabbitmq']): Promise<ChaosApp> => {
    const app = await startChaosApp(chaosOptions(name, topology, { rabbitmq: { url: broker.url, ...rabbitmq } }), log);
    apps.push(app);
    return app;
  };
  const openLedger = async (scenario: string): Promise<ChaosLedger> => {
    const ledger = await ChaosLedger.open(scenario);
    ledgers.push(ledger);
    return ledger;
  };

  beforeAll(async () => {
    broker = await startPrivateRabbitMq();
  }, 120_000);

  afterAll(async () => {
    // Pending publishes of a bus whose broker is gone settle only by timing out: close last.
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await broker?.stop();
    await Promise.all(ledgers.map((l) => l.close()));
    await deleteSharedKeys(topology.keyPrefix);
  }, 120_000);

  it('buffers up to maxPendingPublishes, refuses the rest at once with PublishBufferFullError, and sends the buffer when the broker is back', async () => {
    const ledger = await openLedger('broker-down-buffer');
    const maxPending = scaled(1000, 300);
    const extra = scaled(3000, 600);
    const name = uniqueName('chaos-buffer');
    let load: PublishLoad | undefined;
    const faults = new FaultLog(
      ledger,
      async () => (await ledger.effectsTotal()) < maxPending,
      () => load?.confirmed ?? 0,
    );
    let refused: Outcome[] = [];
    let settledWhileDown = -1;
    let loading: Promise<unknown> = Promise.resolve();

    // The consumer's durable queue exists from before the outage, as in any running system.
    const consumer = await start(name, {});
    await consumer.bus.subscribe('BUFFERED', ledger.handler('buffer'));
    await faults.inject('broker down before the publisher starts (waitForConnection: false), restart', async () => {
      await broker.kill();
      const app = await start(`${name}-pub`, { waitForConnection: false, maxPendingPublishes: maxPending, publishTimeout: 30_000 });
      load = new PublishLoad(app.bus, ledger, { type: 'BUFFERED', count: maxPending, concurrency: maxPending });
      loading = load.run();
      refused = [];
      // One at a time, so each latency is the publish's own.
      for (let i = 0; i < extra; i++) refused.push(await timedPublish(app.bus, ledger, 'BUFFERED', { extra: i }));
      settledWhileDown = load.settled;
      await broker.restart();
    });
    await loading;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 60_000 });
    await waitUntilQueuesSettled(`${name}.`, { nodeName: broker.nodeName });
    const report = await ledger.classify();
    const slowest = Math.max(...refused.map((o) => o.ms));

    recordScenario(
      scenarioRecord(
        {
          id: 'broker-down-buffer',
          title: 'Publishing while the broker is down: bounded buffer, flushed on reconnect',
          published: maxPending + extra,
          faults: faults.faults,
          drainMs,
          notes: [
            `Publisher started with waitForConnection: false while the broker was down (the consumer's durable queue existed from before); maxPendingPublishes ${maxPending}, publishTimeout 30 s.`,
            `${maxPending} publishes waited in the buffer (${settledWhileDown} settled while the broker was down); the next ${extra} were refused with ${names(refused).join(', ')}, the slowest refusal after ${slowest.toFixed(2)} ms.`,
            `Once the broker was back every buffered publish was confirmed and handled once.`,
          ],
        },
        report,
      ),
    );

    expect(settledWhileDown).toBe(0);
    expect(names(refused)).toEqual(['PublishBufferFullError']);
    // "At once": no waiting for the broker or a timer, only the call itself (GC pauses included).
    expect(slowest).toBeLessThan(100);
    expect(load!.confirmed).toBe(maxPending);
    expect(report.refused).toBe(extra);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.unconfirmedDelivered).toEqual([]);
  }, 180_000);

  it('delivers publishes buffered before the first connection to the subscriptions of the same service', async () => {
    // A service started with waitForConnection: false before its broker is up subscribes and
    // publishes at once. On connecting, the bus flushes those publishes the moment its
    // publisher channel is open, while the consumer channels are still declaring and binding
    // their queues: the broker confirms events it could route to no queue, and they are gone.
    const ledger = await openLedger('broker-down-first-connection');
    const name = uniqueName('chaos-first');
    const count = 20;
    await broker.kill();
    const app = await start(name, { waitForConnection: false, publishTimeout: 30_000 });
    await app.bus.subscribe('EARLY', ledger.handler('first'));
    const publishing = Promise.all(Array.from({ length: count }, (_, i) => timedPublish(app.bus, ledger, 'EARLY', { i })));
    await broker.restart();
    const outcomes = await publishing;
    const handled = await waitFor(async () => (await ledger.unhandled(outcomes.map((o) => o.id))).length === 0, { timeoutMs: 10_000 }).then(
      () => count,
      async () => count - (await ledger.unhandled(outcomes.map((o) => o.id))).length,
    );
    const passed = handled === count && names(outcomes).join() === 'none';
    recordCheck(
      'broker-down-first-connection',
      "Publishes buffered before the first connection reach the same service's new subscriptions",
      passed,
      `${count} publishes made while the broker was down before the first connection: ${names(outcomes).join(', ') === 'none' ? 'all confirmed' : names(outcomes).join(', ')}; handled within 10 s: ${handled}.`,
    );
    expect(names(outcomes)).toEqual(['none']);
    expect(handled).toBe(count);
  }, 120_000);

  it('rejects each waiting publish with PublishTimeoutError after publishTimeout, and never delivers it later', async () => {
    const ledger = await openLedger('broker-down-timeout');
    const name = uniqueName('chaos-timeout');
    const publishTimeout = 1000;
    const count = scaled(500, 200);
    const app = await start(name, { publishTimeout });
    await app.bus.subscribe('LATE', ledger.handler('timeout'));
    const faults = new FaultLog(
      ledger,
      () => false,
      () => 0,
    );
    let outcomes: Outcome[] = [];

    await faults.inject('broker kill -9 while publishing, restart after the timeouts', async () => {
      await broker.kill();
      outcomes = await Promise.all(Array.from({ length: count }, (_, i) => timedPublish(app.bus, ledger, 'LATE', { i })));
      await broker.restart();
    });
    // Proof the consumer is back and would have seen a late delivery: a marker published now.
    const marker = await timedPublish(app.bus, ledger, 'LATE', { marker: true });
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 60_000 });
    await waitUntilQueuesSettled(`${name}.`, { nodeName: broker.nodeName });
    const report = await ledger.classify();
    const times = outcomes.map((o) => o.ms);

    recordScenario(
      scenarioRecord(
        {
          id: 'broker-down-timeout',
          title: 'Publishing while the broker is down: publishTimeout',
          published: count + 1,
          faults: faults.faults,
          drainMs,
          notes: [
            `publishTimeout ${publishTimeout} ms; ${count} publishes while the broker was down all ended with ${names(outcomes).join(', ')} after ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms.`,
            `None of them was delivered after the broker came back (they never left the buffer); a marker published then was handled.`,
          ],
        },
        report,
      ),
    );

    expect(names(outcomes)).toEqual(['PublishTimeoutError']);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(publishTimeout - 5);
    expect(Math.max(...times)).toBeLessThan(publishTimeout + 1500);
    expect(marker.error).toBe('none');
    expect(report.refused).toBe(count);
    expect(report.unconfirmedDelivered).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.unexpected).toEqual([]);
  }, 180_000);

  it('a publish that timed out while the broker was blocked can still be delivered; publishing it again with the same id is deduplicated', async () => {
    const ledger = await openLedger('broker-blocked');
    const name = uniqueName('chaos-blocked');
    const publishTimeout = 1000;
    const count = scaled(300, 100);
    const app = await start(name, { publishTimeout });
    await app.bus.subscribe('SLOW', ledger.handler('blocked'));
    const faults = new FaultLog(
      ledger,
      () => true,
      () => 0,
    );
    let outcomes: Outcome[] = [];

    await faults.inject('memory alarm: broker blocks publishers, then clears', async () => {
      await setMemoryAlarm(broker.nodeName, true);
      outcomes = await Promise.all(Array.from({ length: count }, (_, i) => timedPublish(app.bus, ledger, 'SLOW', { i })));
      await setMemoryAlarm(broker.nodeName, false);
    });
    // The broker reads what it had left in the socket: the timed-out publishes arrive after all.
    await waitFor(async () => (await ledger.unhandled(outcomes.map((o) => o.id))).length === 0, {
      timeoutMs: 30_000,
      message: 'the timed-out publishes to be delivered',
    });
    const delivered = await ledger.classify();
    // README: after PublishTimeoutError it is safe to publish again with the same id.
    const again = await Promise.all(
      outcomes.map(async (o, i) => {
        await app.bus.publish({ id: o.id, type: 'SLOW', data: { i, again: true } });
        ledger.recordConfirmed(o.id);
      }),
    );
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 60_000 });
    await waitUntilQueuesSettled(`${name}.`, { nodeName: broker.nodeName });
    const report = await ledger.classify();

    recordScenario({
      ...scenarioRecord(
        {
          id: 'broker-blocked',
          title: 'Publishes timed out while the broker blocked publishers (memory alarm)',
          published: count * 2,
          faults: faults.faults,
          drainMs,
          notes: [
            `publishTimeout ${publishTimeout} ms; ${count} publishes during a memory alarm all ended with ${names(outcomes).join(', ')}.`,
            `After the alarm cleared, ${delivered.unconfirmedDelivered.length} of them were delivered and handled anyway ("unconfirmed but delivered").`,
            `Publishing all ${again.length} again with the same ids (as the README advises): confirmed, and the consumer's ledger ran none of them twice.`,
          ],
        },
        report,
      ),
      // Counted before the same ids were published again and confirmed.
      unconfirmedDelivered: delivered.unconfirmedDelivered.length,
    });

    expect(names(outcomes)).toEqual(['PublishTimeoutError']);
    expect(delivered.unconfirmedDelivered).toHaveLength(count);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
  }, 180_000);

  describe('memory while the broker stays down', () => {
    const body = { pad: 'x'.repeat(8 * 1024) };
    const limit = scaled(500, 200);

    it('stays flat while publishes are refused because the buffer is full', async () => {
      const refusals = scaled(50_000, 10_000);
      // Long enough that no buffered publish times out (and frees its slot) while measuring.
      const app = await start(uniqueName('chaos-mem-full'), { waitForConnection: false, maxPendingPublishes: limit, publishTimeout: 5000 });
      await broker.kill();
      const buffered = Array.from({ length: limit }, () => app.bus.publish({ type: 'MEM', data: body }).catch((err: Error) => err.name));
      const before = await retainedBytes();
      const refused = new Map<string, number>();
      for (let i = 0; i < refusals; i++) {
        const name = await app.bus.publish({ type: 'MEM', data: body }).then(
          () => 'confirmed',
          (err: Error) => err.name,
        );
        refused.set(name, (refused.get(name) ?? 0) + 1);
      }
      const after = await retainedBytes();
      const growth = (after - before) / MiB;
      recordCheck(
        'broker-down-memory-refused',
        'Memory while publishes are refused (buffer full, broker down)',
        growth < 4 && refused.get('PublishBufferFullError') === refusals,
        `${refusals} publishes of ~8 KiB refused with ${[...refused.keys()].join(', ')} while ${limit} waited; retained memory ${(before / MiB).toFixed(1)} -> ${(after / MiB).toFixed(1)} MiB (${growth.toFixed(2)} MiB).`,
      );
      expect(Object.fromEntries(refused)).toEqual({ PublishBufferFullError: refusals });
      expect(growth).toBeLessThan(4);
      await Promise.all(buffered);
    }, 120_000);

    it('stays bounded by maxPendingPublishes while publishes keep timing out during a long outage', async () => {
      const rounds = scaled(20, 10);
      const publishTimeout = 200;
      const app = await start(uniqueName('chaos-mem-timeout'), { waitForConnection: false, maxPendingPublishes: limit, publishTimeout });
      await broker.kill();
      const roundOf = async () => {
        const names = await Promise.all(
          Array.from({ length: limit }, () =>
            app.bus.publish({ type: 'MEM', data: body }).then(
              () => 'confirmed',
              (err: Error) => err.name,
            ),
          ),
        );
        return new Set(names);
      };
      const outcomes = await roundOf();
      // One round's worth (the buffer's bound) is allowed to stay; every further round must not add.
      const before = await retainedBytes();
      for (let r = 1; r < rounds; r++) for (const name of await roundOf()) outcomes.add(name);
      const after = await retainedBytes();
      const growth = (after - before) / MiB;
      const bound = (limit * JSON.stringify(body).length) / MiB;
      recordCheck(
        'broker-down-memory-timeouts',
        'Memory while publishes time out round after round (broker down)',
        growth < bound,
        `${rounds} rounds of ${limit} publishes of ~8 KiB, each ending with ${[...outcomes].join(', ')} after ${publishTimeout} ms; retained memory ${(before / MiB).toFixed(1)} -> ${(after / MiB).toFixed(1)} MiB (${growth.toFixed(1)} MiB; one full buffer is ${bound.toFixed(1)} MiB).`,
      );
      expect([...outcomes]).toEqual(['PublishTimeoutError']);
      expect(growth).toBeLessThan(bound);
    }, 120_000);
  });
});
