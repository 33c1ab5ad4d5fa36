import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RawAmqp, unackedCount } from './support/raw-amqp';
import { dropSampleServiceSchemas } from './support/postgres-test-schema';
import { RABBITMQ_URL, REDIS_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';
import { launchSampleServices, type ObservedEntry, type RunningService, type SampleServiceName } from '../scripts/demo/service-launcher';

/** The four built sample services as separate processes, against the real broker and Redis. */
describe('sample services end to end', () => {
  const topology = uniqueTopology('samples');
  const namespace = `${uniqueName('s')}-`;
  const entries: ObservedEntry[] = [];
  let svc: Record<SampleServiceName, RunningService>;
  let raw: RawAmqp;
  let redis: Redis;

  const post = async <T>(url: string, body: unknown, correlationId?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(correlationId ? { 'x-correlation-id': correlationId } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T, correlationId: response.headers.get('x-correlation-id') };
  };
  const get = async <T>(url: string) => {
    const response = await fetch(url);
    return { status: response.status, body: (await response.json()) as T };
  };
  const handled = (service: SampleServiceName, event: string, correlationId: string) =>
    entries.filter((e) => e.service === service && e.event === event && e.outcome === 'handled' && e.correlationId === correlationId);

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    redis = new Redis(REDIS_URL);
    svc = await launchSampleServices({
      namespace,
      env: {
        RABBITMQ_URL,
        REDIS_URL,
        EVENT_EXCHANGE: topology.exchange,
        DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
        REDIS_KEY_PREFIX: topology.keyPrefix,
        RETRY_DELAY: '100',
      },
      onEntry: (e) => entries.push(e),
    });
  }, 60_000);

  afterAll(async () => {
    if (svc) await Promise.all(Object.values(svc).map((s) => s.stop()));
    const queues = [`${namespace}email.USER_CREATED`, `${namespace}kyc.USER_CREATED`, `${namespace}documents.DOCUMENT_UPLOADED`];
    const retries = ['100', '200', '400', '800', '300', '600', '1200'].flatMap((d) => queues.map((q) => `${q}.retry.${d}`));
    await raw.cleanup({
      queues: [...queues, ...queues.map((q) => `${q}.dlq`), ...retries],
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
    await raw.close();
    const keys = [...(await redis.keys(`${topology.keyPrefix}*`)), ...(await redis.keys(`${namespace}*`))];
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await dropSampleServiceSchemas([`${namespace}auth`, `${namespace}kyc`]);
  }, 60_000);

  it('signs a user up: one welcome e-mail, one KYC case, all under the request correlation id, state from PostgreSQL', async () => {
    const bad = await post<{ message: string[] }>(`${svc.auth.url}/users`, { email: 'nope', role: 'KING' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['email must be an email']));

    const signup = await post<{ userId: string; eventId: string }>(
      `${svc.auth.url}/users`,
      { email: 'ada@example.com', role: 'STUDENT' },
      'tx-e2e-1',
    );
    expect(signup.status).toBe(201);
    expect(signup.correlationId).toBe('tx-e2e-1');
    await waitFor(
      () => handled('email', 'USER_CREATED', 'tx-e2e-1').length === 1 && handled('kyc', 'USER_CREATED', 'tx-e2e-1').length === 1,
      {
        message: 'e-mail and KYC handlers',
      },
    );

    const outbox = await get<Array<{ to: string; correlationId: string }>>(`${svc.email.url}/outbox`);
    expect(outbox.body.filter((m) => m.to === 'ada@example.com')).toEqual([expect.objectContaining({ correlationId: 'tx-e2e-1' })]);
    const kyc = await get<{ userId: string; correlationId: string }>(`${svc.kyc.url}/kyc/${signup.body.userId}`);
    expect(kyc.body).toMatchObject({ userId: signup.body.userId, correlationId: 'tx-e2e-1', status: 'PENDING_DOCUMENTS' });
    const user = await get<{ userId: string; email: string; role: string }>(`${svc.auth.url}/users/${signup.body.userId}`);
    expect(user).toEqual({
      status: 200,
      body: expect.objectContaining({ userId: signup.body.userId, email: 'ada@example.com', role: 'STUDENT' }),
    });

    // KYC_STARTED carries the correlation id and names USER_CREATED as its cause.
    await raw.channel.assertQueue('kyc-tap', { exclusive: true });
    await raw.channel.bindQueue('kyc-tap', topology.exchange, 'KYC_STARTED');
    const second = await post<{ userId: string; eventId: string }>(
      `${svc.auth.url}/users`,
      { email: 'bob@example.com', role: 'TEACHER' },
      'tx-e2e-2',
    );
    const started = JSON.parse((await raw.nextMessage('kyc-tap')).content.toString());
    expect(started).toMatchObject({ type: 'KYC_STARTED', correlationid: 'tx-e2e-2', causationid: second.body.eventId });
  });

  it('does not send a second e-mail when the same USER_CREATED is delivered again', async () => {
    const signup = await post<{ userId: string; eventId: string }>(
      `${svc.auth.url}/users`,
      { email: 'dup@example.com', role: 'ADMIN' },
      'tx-e2e-dup',
    );
    await waitFor(() => handled('email', 'USER_CREATED', 'tx-e2e-dup').length === 1, { message: 'the first e-mail' });
    const body = JSON.stringify({
      specversion: '1.0',
      id: signup.body.eventId,
      type: 'USER_CREATED',
      source: `${namespace}auth`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { userId: signup.body.userId, email: 'dup@example.com', role: 'ADMIN' },
      correlationid: 'tx-e2e-dup',
    });
    await raw.publish(topology.exchange, 'USER_CREATED', body, {
      messageId: signup.body.eventId,
      contentType: 'application/cloudevents+json',
    });
    // Until the duplicate is consumed from the e-mail queue, then check the outbox.
    await waitFor(async () => (await raw.depth(`${namespace}email.USER_CREATED`)) === 0);
    const marker = await post(`${svc.auth.url}/users`, { email: 'after@example.com', role: 'ADMIN' }, 'tx-e2e-after');
    expect(marker.status).toBe(201);
    await waitFor(() => handled('email', 'USER_CREATED', 'tx-e2e-after').length === 1, { message: 'the marker e-mail' });
    // Every copy settled (the duplicate too), so no e-mail can still be on its way.
    await waitFor(async () => (await unackedCount(`${namespace}email.USER_CREATED`)) === 0, { message: 'all copies acked' });
    const outbox = await get<Array<{ to: string }>>(`${svc.email.url}/outbox`);
    expect(outbox.body.filter((m) => m.to === 'dup@example.com')).toHaveLength(1);
    expect(handled('email', 'USER_CREATED', 'tx-e2e-dup')).toHaveLength(1);
  });

  it('exposes /health and Prometheus /metrics whose counters move with traffic', async () => {
    const counter = (text: string, outcome: string) => {
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`event_bus_events_consumed_total{queue="${namespace}email.USER_CREATED",outcome="${outcome}"}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const scrape = async () => {
      const response = await fetch(`${svc.email.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      // Prometheus text format: every sample line is `name{labels} value`, comments start with #.
      for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
        expect(line).toMatch(/^[a-zA-Z_:][\w:]*(\{.*\})? (-?[\d.e+-]+|NaN|[+-]Inf)$/);
      return text;
    };
    const before = counter(await scrape(), 'handled');
    await post(`${svc.auth.url}/users`, { email: 'metrics@example.com', role: 'STUDENT' }, 'tx-e2e-metrics');
    await waitFor(() => handled('email', 'USER_CREATED', 'tx-e2e-metrics').length === 1, { message: 'the e-mail' });
    expect(counter(await scrape(), 'handled')).toBe(before + 1);
    const health = await get<{ status: string; info: Record<string, { status: string; rabbitmq: string; redis: string }> }>(
      `${svc.email.url}/health`,
    );
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { 'event-bus': { status: 'up', rabbitmq: 'up', redis: 'up' } } });
  });

  it('processes a transient failure after retries and replays a corrupt document after the fix', async () => {
    const flaky = await post<{ documentId: string }>(`${svc.documents.url}/documents`, { name: 'flaky-scan.pdf' }, 'tx-e2e-doc-1');
    const corrupt = await post<{ documentId: string }>(`${svc.documents.url}/documents`, { name: 'corrupt.pdf' }, 'tx-e2e-doc-2');
    type Letter = { eventId: string; attempts: number; history: Array<{ attempt: number }>; correlationId: string; error: string };
    const letters = async () => (await get<Letter[]>(`${svc.documents.url}/admin/dead-letters`)).body;
    await waitFor(async () => (await letters()).length === 1, { timeoutMs: 30_000, message: 'the corrupt document in the DLQ' });
    await waitFor(() => handled('documents', 'DOCUMENT_UPLOADED', 'tx-e2e-doc-1').length === 1, { message: 'the flaky document' });

    const processed = await get<Record<string, { name: string; attempt: number }>>(`${svc.documents.url}/documents/processed`);
    expect(processed.body[flaky.body.documentId]).toMatchObject({ name: 'flaky-scan.pdf', attempt: 3 });
    expect(processed.body[corrupt.body.documentId]).toBeUndefined();
    const [letter] = await letters();
    expect(letter).toMatchObject({
      attempts: 4,
      correlationId: 'tx-e2e-doc-2',
      error: expect.stringContaining('cannot parse corrupt.pdf'),
    });
    expect(letter.history.map((h) => h.attempt)).toEqual([1, 2, 3, 4]);

    await post(`${svc.documents.url}/admin/parser-fix`, {});
    const replay = await post<{ replayed: string[] }>(`${svc.documents.url}/admin/dead-letters/replay`, {});
    expect(replay.body.replayed).toEqual([letter.eventId]);
    await waitFor(() => handled('documents', 'DOCUMENT_UPLOADED', 'tx-e2e-doc-2').length === 1, { message: 'the replayed document' });
    expect(await letters()).toEqual([]);
  });
});

describe('npm run demo', () => {
  it('drives both flows, prints the summary and exits 0', async () => {
    const root = join(__dirname, '..');
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'dist/scripts/demo/demo.js')], {
      cwd: root,
      timeout: 120_000,
    });
    expect(stdout).toContain('1. User registration');
    expect(stdout).toContain('2. Document processing');
    expect(stdout).toMatch(/outbox: 1 welcome e-mail to ada@example\.com/);
    expect(stdout).toMatch(/documents processed\s+3/);
    expect(stdout).toMatch(/dead letters\s+1 -> replayed -> 0/);
    expect(stdout).toContain('Summary');
  }, 150_000);

  /** Runs the demo with some variables changed; resolves with how it ended (it must end by itself). */
  const runDemo = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const root = join(__dirname, '..');
      execFile(
        process.execPath,
        [join(root, 'dist/scripts/demo/demo.js')],
        { cwd: root, timeout: 60_000, env: { ...process.env, ...env } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('ends with a one-line hint and exit code 1 when RabbitMQ refuses the login (no hang, no password shown)', async () => {
    const { code, stderr } = await runDemo({ RABBITMQ_URL: 'amqp://guest:Not-The-Password@127.0.0.1:5672' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/refused the login: check the user and password in RABBITMQ_URL$/)]);
    expect(stderr).not.toContain('Not-The-Password');
    expect(stderr).not.toMatch(/\bat \S+ \(/); // no stack trace
  }, 90_000);

  it('ends with a one-line hint and exit code 1 when Redis does not answer', async () => {
    const { code, stderr } = await runDemo({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot reach Redis at 127\.0\.0\.1:1 .*set REDIS_URL$/)]);
  }, 90_000);
});
