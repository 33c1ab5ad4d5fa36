import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeadLetterService, NonRetryableError, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { runCommand } from './support/run-command';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);
const root = join(__dirname, '..');
const cliPath = join(root, 'libs/event-bus/dist/cli/dlq.cli.js');

// The command runs the built library, as `npm run dlq` does. `npm test` builds before any test
// runs; rebuilding here would rewrite dist/ under the other test files running at the same time.
beforeAll(async () => {
  if (!existsSync(cliPath)) await run('npm', ['run', '-s', 'build:lib'], { cwd: root });
}, 120_000);

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
    run('node', [cliPath, ...args], {
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
    await raw.cleanupTopology(topology, [queue]);
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

  it('rejects a bad command line with the usage, on one line', async () => {
    await expect(cli('explode', queue)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^event-bus-dlq: unknown command 'explode'; usage: event-bus-dlq <command> .*\n$/),
    });
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
    expect((await cli('purge', queue, '--yes')).stdout.trim()).toBe(`purged 1 dead letter(s) from ${queue}`);
    expect(await dlq.count(queue)).toBe(0);
  });
});

describe('the event-bus-dlq command', () => {
  const topology = uniqueTopology('dlqcli');
  const serviceName = uniqueName('billing');
  const queue = `${serviceName}.INVOICE_FAILED`;
  // Each run of the command starts Node and connects (about a second).
  const CLI_TEST_TIMEOUT = 30_000;
  const env = { RABBITMQ_URL, REDIS_URL, EVENT_EXCHANGE: topology.exchange, DEAD_LETTER_EXCHANGE: topology.deadLetterExchange };
  /** Runs the built command; a non-zero exit is data here. */
  const cli = (...args: string[]) => runCommand(process.execPath, [cliPath, ...args], { env, timeoutMs: 30_000 });
  /** stdout of a command that must succeed, parsed as the one JSON document it prints. */
  const json = async (...args: string[]) => {
    const result = await cli(...args, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout);
  };
  let service: TestService;
  let dlq: DeadLetterService;
  let raw: RawAmqp;
  const repaired = new Set<string>();
  const processed: string[] = [];
  const failedIds: string[] = [];

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(testOptions(serviceName, topology));
    dlq = service.app.get(DeadLetterService);
    await service.bus.subscribe('INVOICE_FAILED', (event: EventEnvelope<{ invoice: string }>) => {
      if (!repaired.has(event.id)) throw new Error(`ledger locked for ${event.data.invoice}`);
      processed.push(event.id);
    });
    for (let i = 0; i < 3; i++) {
      const e = await service.bus.publish({
        type: 'INVOICE_FAILED',
        data: { invoice: `inv-${i}` },
        metadata: { correlationId: `bill-${i}` },
      });
      failedIds.push(e.id);
    }
    await waitFor(async () => (await dlq.count(queue)) === 3, { message: 'three dead letters after their retries' });
  }, 60_000);

  afterAll(async () => {
    await service.close();
    await raw.cleanupTopology(topology, [queue]);
    await raw.close();
  });

  it(
    'names the environment variables it reads in the help, at the top and of each command',
    async () => {
      for (const args of [
        ['--help'],
        ['list', '--help'],
        ['show', '--help'],
        ['replay', '--help'],
        ['purge', '--help'],
        ['help', 'count'],
      ]) {
        const result = await cli(...args);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toMatch(/^Usage: event-bus-dlq /);
        for (const variable of ['RABBITMQ_URL', 'EVENT_EXCHANGE', 'DEAD_LETTER_EXCHANGE', 'SERVICE_NAME', 'REDIS_URL']) {
          expect(result.stdout).toContain(variable);
        }
      }
      expect((await cli('show', '--help')).stdout).toMatch(/^Usage: event-bus-dlq show \[options\] <queue> <id>$/m);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'shows the name it was installed under in its usage',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dlq-bin-'));
      try {
        symlinkSync(cliPath, join(dir, 'billing-dlq'));
        const result = await runCommand(process.execPath, [join(dir, 'billing-dlq'), 'count', '--help'], { env });
        expect(result.stdout).toMatch(/^Usage: billing-dlq count \[options\] <queue>$/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'shows one dead letter in full: error, retry history, headers, properties and body',
    async () => {
      const result = await cli('show', queue, failedIds[1]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const text = result.stdout;
      expect(text).toMatch(new RegExp(`^Event ID +${failedIds[1]}$`, 'm'));
      expect(text).toMatch(/^Error +ledger locked for inv-1$/m);
      expect(text).toMatch(/^Error name +Error$/m);
      expect(text).toMatch(/^Attempts +4$/m);
      expect(text).toMatch(/^Correlation ID +bill-1$/m);
      expect(text).toMatch(
        /^Retry history \(4\):\n {2}#1 .*ledger locked for inv-1\n {2}#2 .*\n {2}#3 .*\n {2}#4 .*ledger locked for inv-1$/m,
      );
      for (const header of ['x-error', 'x-error-name', 'x-retry-count', 'x-retry-history', 'x-original-queue', 'x-failed-at']) {
        expect(text).toMatch(new RegExp(`^Headers:[\\s\\S]*^ {2}${header}: `, 'm'));
      }
      expect(text).toMatch(new RegExp(`^ {2}x-original-queue: +${queue.replace(/\./g, '\\.')}$`, 'm'));
      expect(text).toMatch(new RegExp(`^Properties:[\\s\\S]*^ {2}messageId: +${failedIds[1]}$`, 'm'));
      // The CloudEvent body, pretty-printed.
      const body = text.slice(text.indexOf('\nBody:\n') + '\nBody:\n'.length);
      expect(body).toMatch(/^ {2}\{\n/);
      expect(body).toContain('    "type": "INVOICE_FAILED",');
      expect(body).toMatch(/^ {4}"data": \{\n {6}"invoice": "inv-1"\n {4}\}/m);
      expect(await dlq.count(queue)).toBe(3);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'prints one JSON document with --json on list, count and show',
    async () => {
      const listed = await json('list', queue);
      expect(listed.queue).toBe(queue);
      expect(listed.deadLetters.map((d: { eventId: string }) => d.eventId)).toEqual(failedIds);
      expect(listed.deadLetters[0]).toMatchObject({
        error: 'ledger locked for inv-0',
        attempts: 4,
        correlationId: 'bill-0',
        headers: { 'x-original-queue': queue, 'x-retry-count': 3 },
        properties: { messageId: failedIds[0], correlationId: 'bill-0' },
      });
      expect(listed.deadLetters[0].history).toHaveLength(4);
      expect(await json('list', `${queue}.dlq`, '--limit', '1')).toEqual({ queue: `${queue}.dlq`, deadLetters: [listed.deadLetters[0]] });
      expect(await json('count', queue)).toEqual({ queue, count: 3 });
      expect(await json('show', queue, failedIds[2])).toEqual({ queue, deadLetter: listed.deadLetters[2] });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'warns about an unknown id on show and exits 1',
    async () => {
      const result = await cli('show', queue, 'no-such-event');
      expect(result).toEqual({ code: 1, stdout: '', stderr: `event-bus-dlq: warning: no dead letter in ${queue} with id no-such-event\n` });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'refuses to purge without --yes when stdin is not a terminal, and deletes nothing',
    async () => {
      const result = await cli('purge', queue);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^event-bus-dlq: .*pass --yes\n$/);
      expect(await dlq.count(queue)).toBe(3);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'replays the ids that match, warns about the others and exits 1',
    async () => {
      repaired.add(failedIds[0]);
      const result = await cli('replay', queue, '--id', failedIds[0], '--id', 'missing-1', '--id', 'missing-2');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(`replayed 1 dead letter(s) from ${queue}\n  ${failedIds[0]}\n`);
      expect(result.stderr).toBe(`event-bus-dlq: warning: no dead letter in ${queue} with id missing-1, missing-2\n`);
      await waitFor(() => processed.includes(failedIds[0]), { message: 'the replayed event' });
      expect((await dlq.list(queue)).map((d) => d.eventId)).toEqual(failedIds.slice(1));
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'replays with --json, naming the ids not found',
    async () => {
      repaired.add(failedIds[1]);
      const result = await cli('replay', queue, '--id', failedIds[1], '--id', 'missing-3', '--json');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({ queue, replayed: [failedIds[1]], skipped: [], notFound: ['missing-3'] });
      expect(result.stderr).toBe(`event-bus-dlq: warning: no dead letter in ${queue} with id missing-3\n`);
      await waitFor(() => processed.includes(failedIds[1]), { message: 'the second replayed event' });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'purges with --yes --json',
    async () => {
      expect(await json('purge', queue, '--yes')).toEqual({ queue, purged: 1 });
      expect(await dlq.count(queue)).toBe(0);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'reports a wrong RabbitMQ password in one line naming RABBITMQ_URL, with the password masked',
    async () => {
      const url = new URL(RABBITMQ_URL);
      url.password = 'not-the-password-42';
      const result = await runCommand(process.execPath, [cliPath, 'count', queue], {
        env: { ...env, RABBITMQ_URL: url.toString() },
        timeoutMs: 30_000,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^event-bus-dlq: cannot reach RabbitMQ at amqp:\/\/[^\s]*:\*\*\*@[^\s]+ \(set RABBITMQ_URL\): .+\n$/);
      expect(result.stderr).not.toContain('not-the-password-42');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TEST_TIMEOUT,
  );
});
