import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { EventBus, EventBusModule, eventBusOptionsFromEnv, EVENT_BUS_ENV_DEFAULTS } from 'nestjs-event-bus';
import { DemoOutput, colour } from './demo-output';
import { postgresProblem, rabbitMqProblem, redisProblem } from './preflight';
import { launchSampleServices, type ObservedEntry, type RunningService, type SampleServiceName } from './service-launcher';

const NAMESPACE = 'demo-';
/** The documents service's operator console opens with these (a fresh password each run). */
const CONSOLE_USER = 'operator';
const CONSOLE_PASSWORD = randomBytes(6).toString('hex');
const env = {
  RABBITMQ_URL: process.env.RABBITMQ_URL ?? EVENT_BUS_ENV_DEFAULTS.RABBITMQ_URL,
  REDIS_URL: process.env.REDIS_URL ?? EVENT_BUS_ENV_DEFAULTS.REDIS_URL,
  // The auth and KYC samples keep users, cases and their outbox/inbox in PostgreSQL.
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  EVENT_EXCHANGE: 'demo.events',
  DEAD_LETTER_EXCHANGE: 'demo.events.dlx',
  REDIS_KEY_PREFIX: 'demo:events:',
  RETRY_DELAY: '300',
  LOG_LEVEL: 'warn',
  CONSOLE_USER,
  CONSOLE_PASSWORD,
};

const out = new DemoOutput();
const timeline: ObservedEntry[] = [];

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  correlationId?: string,
): Promise<{ status: number; body: T; correlationId: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (correlationId) headers['x-correlation-id'] = correlationId;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T, correlationId: response.headers.get('x-correlation-id') };
}

const seen = (service: SampleServiceName, event: string, outcome: string, correlationId?: string) =>
  timeline.filter(
    (e) => e.service === service && e.event === event && e.outcome === outcome && (!correlationId || e.correlationId === correlationId),
  );

/** Removes what an earlier demo run left: its Redis keys (queues are drained by the services). */
async function cleanSlate(redis: Redis): Promise<void> {
  for (const pattern of [`${env.REDIS_KEY_PREFIX}*`, `${NAMESPACE}*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  }
}

async function signUpFlow(svc: Record<SampleServiceName, RunningService>, bus: EventBus): Promise<Array<[string, string]>> {
  out.step('1. User registration: auth (PostgreSQL + outbox) -> RabbitMQ -> email + KYC (inbox)');
  const signup = await http<{ userId: string; eventId: string }>(
    'POST',
    `${svc.auth.url}/users`,
    { email: 'ada@example.com', role: 'STUDENT' },
    'tx-signup-1',
  );
  out.note(`POST /users -> ${signup.status}, user ${signup.body.userId}, x-correlation-id: ${signup.correlationId}`);
  await waitFor(
    'the welcome e-mail and the KYC case',
    () =>
      seen('email', 'USER_CREATED', 'handled', 'tx-signup-1').length > 0 &&
      seen('kyc', 'USER_CREATED', 'handled', 'tx-signup-1').length > 0,
  );
  const user = await http<{ userId: string; email: string; role: string }>('GET', `${svc.auth.url}/users/${signup.body.userId}`);
  out.note(`GET /users/${signup.body.userId.slice(0, 8)}… -> ${user.status} from PostgreSQL (${user.body.email})`);
  const kyc = await http<{ caseId: string; correlationId: string }>('GET', `${svc.kyc.url}/kyc/${signup.body.userId}`);
  out.note(`KYC case ${kyc.body.caseId.slice(0, 12)}… opened under correlation id ${kyc.body.correlationId}`);

  out.note('auth retries its publish: USER_CREATED goes out again with the same source and event id');
  await bus.publish({
    type: 'USER_CREATED',
    id: signup.body.eventId,
    key: signup.body.userId,
    data: { userId: user.body.userId, email: user.body.email, role: user.body.role },
    metadata: { correlationId: 'tx-signup-1' },
  });
  // A marker after the duplicate: once the e-mail service handled it, the duplicate is behind us.
  const marker = await http<{ userId: string }>(
    'POST',
    `${svc.auth.url}/users`,
    { email: 'grace@example.com', role: 'TEACHER' },
    'tx-signup-2',
  );
  await waitFor('the second sign-up', () => seen('email', 'USER_CREATED', 'handled', 'tx-signup-2').length > 0);
  const outbox = await http<Array<{ to: string }>>('GET', `${svc.email.url}/outbox`);
  const toAda = outbox.body.filter((m) => m.to === 'ada@example.com').length;
  out.note(`outbox: ${toAda} welcome e-mail to ada@example.com after the duplicate delivery (ledger), ${outbox.body.length} in all`);
  if (toAda !== 1) throw new Error(`expected one e-mail to ada@example.com, found ${toAda}`);
  return [
    ['users signed up', `2 (${signup.body.userId.slice(0, 8)}…, ${marker.body.userId.slice(0, 8)}…)`],
    ['welcome e-mails', `${outbox.body.length} (duplicate delivery absorbed)`],
    ['KYC cases opened', String(seen('kyc', 'USER_CREATED', 'handled').length)],
  ];
}

async function documentFlow(svc: Record<SampleServiceName, RunningService>): Promise<Array<[string, string]>> {
  out.step('2. Document processing: retries, dead-letter queue, replay');
  const names = ['report.pdf', 'flaky-scan.pdf', 'corrupt-contract.pdf'];
  const uploads = [];
  for (const [i, name] of names.entries()) {
    const upload = await http<{ documentId: string }>('POST', `${svc.documents.url}/documents`, { name }, `tx-doc-${i + 1}`);
    uploads.push(upload.body.documentId);
    out.note(`POST /documents ${name} -> ${upload.status}`);
  }
  type Letter = { eventId: string; error: string; attempts: number; history: unknown[]; correlationId: string };
  const deadLetters = async () => (await http<Letter[]>('GET', `${svc.documents.url}/admin/dead-letters`)).body;
  await waitFor('the corrupt document in the DLQ', async () => (await deadLetters()).length === 1, 30_000);
  await waitFor('the flaky document', () => seen('documents', 'DOCUMENT_UPLOADED', 'handled', 'tx-doc-2').length > 0);

  out.step('   Dead-letter queue demo-documents.DOCUMENT_UPLOADED.dlq');
  for (const letter of await deadLetters()) {
    out.table([
      ['event', letter.eventId],
      ['error', colour.red(letter.error)],
      ['attempts', `${letter.attempts} (history: ${letter.history.length} entries)`],
      ['correlation id', letter.correlationId],
    ]);
  }
  out.note(await consoleNote(svc.documents.url));
  out.note('deploying the parser fix, then replaying the dead letters');
  await http('POST', `${svc.documents.url}/admin/parser-fix`);
  const replay = await http<{ replayed: string[] }>('POST', `${svc.documents.url}/admin/dead-letters/replay`, {});
  await waitFor('the replayed document', () => seen('documents', 'DOCUMENT_UPLOADED', 'handled', 'tx-doc-3').length > 0);
  const processed = await http<Record<string, { name: string; attempt: number }>>('GET', `${svc.documents.url}/documents/processed`);
  const left = (await deadLetters()).length;
  out.note(`replayed ${replay.body.replayed.length}; processed ${Object.keys(processed.body).length}/3; dead letters left: ${left}`);
  if (Object.keys(processed.body).length !== 3 || left !== 0) throw new Error('documents were not all processed');
  const attemptsOf = (name: string) => Object.values(processed.body).find((d) => d.name === name)?.attempt;
  return [
    [
      'documents processed',
      `3 (report on attempt ${attemptsOf('report.pdf')}, flaky scan on attempt ${attemptsOf('flaky-scan.pdf')}, corrupt after replay)`,
    ],
    ['dead letters', `1 -> replayed -> ${left}`],
  ];
}

/** The documents service's operator console: its URL and credentials, and what it shows now (which proves it is up). */
async function consoleNote(documentsUrl: string): Promise<string> {
  const url = `${documentsUrl}/event-bus`;
  const authorization = `Basic ${Buffer.from(`${CONSOLE_USER}:${CONSOLE_PASSWORD}`).toString('base64')}`;
  const response = await fetch(`${url}/api/queues`, { headers: { authorization } });
  if (!response.ok) throw new Error(`the operator console at ${url} answered ${response.status}`);
  const { queues } = (await response.json()) as { queues: Array<{ deadLetterDepth: number }> };
  const deadLetters = queues.reduce((sum, q) => sum + q.deadLetterDepth, 0);
  return `operator console: ${colour.bold(url)} (user ${CONSOLE_USER}, password ${CONSOLE_PASSWORD}) shows ${deadLetters} dead letter(s)`;
}

/** With DEMO_KEEP_RUNNING=1, the services stay up after the flows (to look around in the console) until Ctrl-C. */
async function holdOpen(svc: Record<SampleServiceName, RunningService>): Promise<void> {
  if (!/^(1|true|yes)$/i.test(process.env.DEMO_KEEP_RUNNING ?? '')) return;
  out.note(
    `services keep running: operator console ${colour.bold(`${svc.documents.url}/event-bus`)} (user ${CONSOLE_USER}, password ${CONSOLE_PASSWORD}); Ctrl-C stops them`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}

async function main(): Promise<number> {
  console.log(colour.bold('nestjs-event-bus demo') + colour.dim('  (four services, one RabbitMQ, one Redis)'));
  const problems = (
    await Promise.all([rabbitMqProblem(env.RABBITMQ_URL), redisProblem(env.REDIS_URL), postgresProblem(env.DATABASE_URL)])
  ).filter(Boolean);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${colour.red('demo cannot start:')} ${problem}`);
    return 1;
  }
  // Everything opened from here on is closed in `finally`, whatever fails, so the demo never hangs.
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a failing command reports it
  const logs: string[] = [];
  let svc: Record<SampleServiceName, RunningService> | undefined;
  let driver: INestApplicationContext | undefined;
  try {
    await cleanSlate(redis);
    out.step('Starting auth, email, kyc and documents');
    svc = await launchSampleServices({
      namespace: NAMESPACE,
      env,
      onEntry: (e) => (timeline.push(e), out.entry(e)),
      onLog: (l) => logs.push(l),
    });
    out.note(
      Object.values(svc)
        .map((s) => `${s.name} ${s.url}`)
        .join(', '),
    );
    driver = await NestFactory.createApplicationContext(
      // It publishes as the auth service would (same source), so its resend is auth's retry:
      // the ledger knows an event by its source and id.
      EventBusModule.forRoot(eventBusOptionsFromEnv({ ...process.env, ...env }, `${NAMESPACE}auth`)),
      { logger: false, abortOnError: false },
    );
    const summary = [...(await signUpFlow(svc, driver.get(EventBus))), ...(await documentFlow(svc))];
    out.step('Summary');
    out.table([
      ...summary,
      ['operator console', `${svc.documents.url}/event-bus (user ${CONSOLE_USER}, password ${CONSOLE_PASSWORD})`],
      ['timeline entries', String(timeline.length)],
      ['total time', out.elapsed()],
    ]);
    await holdOpen(svc);
    return 0;
  } catch (err) {
    console.error(`\n${colour.red('demo failed:')} ${(err as Error).message}`);
    if (process.env.DEMO_VERBOSE) console.error(colour.dim(logs.slice(-20).join('\n')));
    else if (logs.length > 0) console.error(colour.dim("(DEMO_VERBOSE=1 shows the services' last log lines)"));
    return 1;
  } finally {
    await driver?.close().catch(() => undefined);
    if (svc) {
      const ends = await Promise.all(Object.values(svc).map(async (s) => `${s.name} ${await s.stop()}`));
      out.note(`services stopped after draining: ${ends.join(', ')}`);
    }
    redis.disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(`demo failed: ${err.message}`);
    process.exitCode = 1;
  },
);
