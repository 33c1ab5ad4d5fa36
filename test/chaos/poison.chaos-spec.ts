import type { EventEnvelope } from 'nestjs-event-bus';
import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { cleanUpShared } from '../support/chaos-cleanup';
import { takeDeadLetters } from '../support/chaos-dead-letters';
import { ChaosLedger } from '../support/chaos-ledger';
import { PublishLoad } from '../support/chaos-load';
import { malformedBodies } from '../support/chaos-malformed';
import { chaosOptions } from '../support/chaos-options';
import { scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordScenario, scenarioRecord } from '../support/chaos-report';
import { RawAmqp } from '../support/raw-amqp';
import { uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/**
 * 1% of a load are poison events (the handler throws on every attempt) and a broken producer
 * slips undecodable bodies into the same queue. Each poison event must reach the DLQ after
 * exactly retryCount + 1 attempts with its whole history, each undecodable body at once with
 * its bytes untouched, and the good events must all be handled meanwhile.
 */
describe('chaos: poison events and malformed messages in a stream of good events', () => {
  const topology = uniqueTopology('chaos-poison');
  const service = uniqueName('chaos-poison');
  const publisherName = uniqueName('chaos-poison-pub');
  const queue = `${service}.TASK`;
  const events = scaled(10_000, 1000);
  const retryCount = 2;
  const maxMessageBytes = 64 * 1024;
  const apps: ChaosApp[] = [];
  let ledger: ChaosLedger;
  let raw: RawAmqp;

  beforeAll(async () => {
    [ledger, raw] = await Promise.all([ChaosLedger.open('poison'), RawAmqp.connect()]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await raw?.close();
    await ledger?.close();
    await cleanUpShared(topology, [service, publisherName]);
  }, 120_000);

  it(`dead-letters each poison event after ${retryCount + 1} attempts and each malformed message at once, handling every good event`, async () => {
    const log = new CapturedLog();
    const options = (name: string) => chaosOptions(name, topology, { rabbitmq: { retryCount, retryDelay: 50 }, maxMessageBytes });
    const [a, b, publisher] = await Promise.all([
      startChaosApp(options(service), log),
      startChaosApp(options(service), log),
      startChaosApp(options(publisherName), log),
    ]);
    apps.push(a, b, publisher);
    const isPoison = (event: EventEnvelope) => (event.data as { poison?: boolean }).poison === true;
    await a.bus.subscribe('TASK', ledger.handler('a', { fails: isPoison }));
    await b.bus.subscribe('TASK', ledger.handler('b', { fails: isPoison }));

    const poisonEvery = 100;
    const load = new PublishLoad(publisher.bus, ledger, {
      type: 'TASK',
      count: events,
      concurrency: 100,
      data: (i) => ({ i, poison: i % poisonEvery === 7 }),
    });
    const loading = load.run();
    // The broken producer strikes in the middle of the flow.
    await waitFor(() => load.confirmed >= events / 2, { timeoutMs: 60_000, message: 'half the load' });
    const copies = scaled(3, 1);
    const malformed = malformedBodies(maxMessageBytes).flatMap((m) =>
      Array.from({ length: copies }, (_, n) => ({ ...m, id: `malformed-${m.label.replace(/\W+/g, '-')}-${n}` })),
    );
    for (const m of malformed) {
      await raw.publish(topology.exchange, 'TASK', m.body, { messageId: m.id, contentType: m.contentType, persistent: true });
    }
    const result = await loading;

    const poisonIds = new Set(load.ids.filter((_, i) => i % poisonEvery === 7));
    const expectedLetters = poisonIds.size + malformed.length;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 120_000, deadLettered: () => poisonIds });
    await waitFor(async () => (await raw.depth(`${queue}.dlq`)) === expectedLetters, {
      timeoutMs: 60_000,
      message: `${expectedLetters} dead letters`,
    });
    await waitUntilQueuesSettled(`${service}.`);
    const letters = await takeDeadLetters(raw, `${queue}.dlq`);
    const report = await ledger.classify(letters.map((l) => l.messageId!));
    const attempts = await ledger.attempts();

    const poisonLetters = letters.filter((l) => poisonIds.has(l.messageId!));
    const malformedLetters = letters.filter((l) => l.messageId?.startsWith('malformed-'));
    const badPoison = poisonLetters.filter(
      (l) =>
        l.history.length !== retryCount + 1 ||
        l.retryCount !== retryCount ||
        attempts.get(l.messageId!) !== retryCount + 1 ||
        l.error !== `poison event ${l.messageId}`,
    );
    const badMalformed = malformedLetters.filter((l) => {
      const sent = malformed.find((m) => m.id === l.messageId)!;
      return l.errorName !== 'UndecodableMessageError' || l.history.length !== 1 || !l.body.equals(sent.body) || l.originalQueue !== queue;
    });
    const polluted = ({} as Record<string, unknown>).polluted;

    recordScenario(
      scenarioRecord(
        {
          id: 'poison',
          title: '1% poison events and malformed messages among good events',
          published: result.attempted + malformed.length,
          drainMs,
          passed:
            report.lost.length + report.duplicated.length + report.unexpected.length + badPoison.length + badMalformed.length === 0 &&
            letters.length === expectedLetters,
          notes: [
            `${poisonIds.size} poison events (handler throws every time), retryCount ${retryCount}, retryDelay 50 ms: ${poisonLetters.length} dead letters, ${poisonLetters.length - badPoison.length} with exactly ${retryCount + 1} attempts in x-retry-history and in the handler's own count.`,
            `${malformed.length} malformed messages from a raw producer (${malformedBodies(maxMessageBytes)
              .map((m) => m.label)
              .join(
                ', ',
              )}): ${malformedLetters.length} dead-lettered at once as UndecodableMessageError with their bytes untouched; none reached the handler.`,
            `Dead-letter queue: ${letters.length} messages, ${expectedLetters} expected. Good events handled: ${report.handled} of ${events - poisonIds.size}.`,
          ],
        },
        report,
        { deadLettered: letters.length },
      ),
    );

    expect(result.rejected).toEqual({});
    expect(letters).toHaveLength(expectedLetters);
    expect(poisonLetters).toHaveLength(poisonIds.size);
    expect(malformedLetters).toHaveLength(malformed.length);
    expect(badPoison).toEqual([]);
    expect(badMalformed).toEqual([]);
    expect(polluted).toBeUndefined();
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.handled).toBe(events - poisonIds.size);
  }, 300_000);
});
