import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeadLetterService, NonRetryableError, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);
const root = join(__dirname, '..');

describe('DeadLetterService and the dlq command', () => {
  const topology = uniqueTopology('dlq');
  const serviceName = uniqueName('docs');
  const queue = `${serviceName}.DOCUMENT_UPLOADED`;
  let service: TestService;
  let dlq: DeadLetterService;
  let raw: RawAmqp;
  let fixed = false;
  const processed: string[] = [];
  const failedIds: string[] = [];

  const cli = (...args: string[]) =>
    run('node', [join(root, 'libs/event-bus/dist/cli/dlq.cli.js'), ...args], {
      env: {
        ...process.env,
        RABBITMQ_URL,
        REDIS_URL,
        EVENT_EXCHANGE: topology.exchange,
        DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
      },
    });

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    // The command runs the built library, as `npm run dlq` does.
    await run('npm', ['run', '-s', 'build:lib'], { cwd: root });
    service = await startService(testOptions(serviceName, topology));
    dlq = service.app.get(DeadLetterService);
    await service.bus.subscribe('DOCUMENT_UPLOADED', (event: EventEnvelope<{ name: string }>) => {
      if (!fixed) throw new NonRetryableError(`corrupt document ${event.data.name}`);
      processed.push(event.id);
    });
    for (let i = 0; i < 5; i++) {
      const e = await service.bus.publish({
        type: 'DOCUMENT_UPLOADED',
        data: { name: `doc-${i}.pdf` },
        metadata: { correlationId: `tx-${i}` },
      });
      failedIds.push(e.id);
    }
    await waitFor(async () => (await dlq.count(queue)) === 5, { message: 'five dead letters' });
  }, 60_000);

  afterAll(async () => {
    await service.close();
    await raw.cleanup({ queues: [queue, `${queue}.dlq`], exchanges: [topology.exchange, topology.deadLetterExchange] });
    await raw.close();
  });

  it('lists dead letters oldest first without taking them, the same on every call', async () => {
    const first = await dlq.list(queue);
    const second = await dlq.list(`${queue}.dlq`);
    expect(first.map((d) => d.eventId)).toEqual(failedIds);
    expect(second).toEqual(first.map((d) => ({ ...d })));
    expect(await dlq.count(queue)).toBe(5);
    expect(first[0]).toMatchObject({
      type: 'DOCUMENT_UPLOADED',
      error: 'corrupt document doc-0.pdf',
      errorName: 'NonRetryableError',
      attempts: 1,
      correlationId: 'tx-0',
      originalQueue: queue,
      replayCount: 0,
    });
    expect(first[0].history).toHaveLength(1);
    expect((await dlq.list(queue, { limit: 2 })).map((d) => d.eventId)).toEqual(failedIds.slice(0, 2));
  });

  it('prints the same dead letters as a table from the command line', async () => {
    const { stdout } = await cli('list', queue);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EVENT ID\s+TYPE\s+ERROR\s+ATTEMPTS\s+FAILED AT\s+CORRELATION ID$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(failedIds);
    expect(stdout).toContain('corrupt document doc-3.pdf');
    expect((await cli('count', queue)).stdout.trim()).toBe(`5 dead letter(s) in ${queue}`);
  });

  it('rejects a bad command line with the usage', async () => {
    await expect(cli('explode', queue)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: dlq') });
  });

  it('counts replays and keeps the history when a replayed event fails again', async () => {
    const result = await dlq.replay(queue, { ids: [failedIds[0]] });
    expect(result.replayed).toEqual([failedIds[0]]);
    await waitFor(async () => (await dlq.list(queue)).some((d) => d.eventId === failedIds[0] && d.replayCount === 1), {
      message: 'the event back in the DLQ after its replay',
    });
    const again = (await dlq.list(queue)).find((d) => d.eventId === failedIds[0])!;
    expect(again.history.map((h) => h.attempt)).toEqual([1, 1]);
    expect(again.attempts).toBe(1);
    // It went to the back of the DLQ.
    expect((await dlq.list(queue)).map((d) => d.eventId)).toEqual([...failedIds.slice(1), failedIds[0]]);
  });

  it('replays selected dead letters to the fixed handler', async () => {
    fixed = true;
    const result = await dlq.replay(queue, { ids: [failedIds[1]] });
    expect(result).toEqual({ replayed: [failedIds[1]], skipped: [] });
    await waitFor(() => processed.includes(failedIds[1]), { message: 'the replayed event' });
    expect((await dlq.list(queue)).map((d) => d.eventId)).toEqual([...failedIds.slice(2), failedIds[0]]);
  });

  it('replays the rest from the command line and leaves the DLQ empty', async () => {
    const { stdout } = await cli('replay', queue, '--limit', '2');
    expect(stdout).toContain('replayed 2 dead letter(s)');
    await waitFor(() => processed.length === 3, { message: 'two more replayed events' });
    await dlq.replay(queue);
    await waitFor(() => processed.length === 5, { message: 'all events processed' });
    expect([...processed].sort()).toEqual([...failedIds].sort());
    expect(await dlq.count(queue)).toBe(0);
  });

  it('purges', async () => {
    fixed = false;
    await service.bus.publish({ type: 'DOCUMENT_UPLOADED', data: { name: 'again.pdf' } });
    await waitFor(async () => (await dlq.count(queue)) === 1, { message: 'a new dead letter' });
    const [letter] = await dlq.list(queue);
    expect(letter.replayCount).toBe(0);
    expect((await cli('purge', queue)).stdout.trim()).toBe(`purged 1 dead letter(s) from ${queue}`);
    expect(await dlq.count(queue)).toBe(0);
  });
});
