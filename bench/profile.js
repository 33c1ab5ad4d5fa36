'use strict';

/**
 * `npm run bench:profile [-- --quick] [--no-build]`: where the time of one event goes.
 *
 * 1. Client CPU per event and stage: for nestjs-event-bus (ledger off, ledger on, minimal
 *    properties) and for raw amqplib sending the same messages, a publisher process and a
 *    consumer process run against each other; each profiles itself with the inspector while it
 *    handles `count` events after a warm-up, and sorts the samples into stages
 *    (bench/lib/profile-stages.js): encode, confirm tracking, decode, interceptor chain,
 *    AsyncLocalStorage, ledger, ack, amqplib, socket, garbage collection, ...
 * 2. Broker CPU per message and wire format: the broker's own CPU time (from /proc, so the
 *    broker must run on this machine) while N persistent messages are published with confirms
 *    and consumed, for a bare JSON body, the CloudEvent with mirrored or minimal properties, and
 *    the CloudEvent in binary content mode; formats take turns, medians of the rounds.
 *
 * Writes docs/benchmarks-profile.md and the same tables into docs/benchmarks.md between its
 * profile markers. Creates only `bench.profile.<run id>.…` queues and exchanges and
 * `bench:profile:<run id>:` Redis keys, and deletes them at the end.
 */

const fs = require('node:fs');
const path = require('node:path');
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const amqp = require('amqplib');
const { buildLibrary } = require('./lib/build-library');
const { snapshotLibrary } = require('./lib/library-snapshot');
const { libraryRevision } = require('./lib/source-revision');
const { RedisAdmin } = require('./lib/redis-admin');
const { measureBrokerCost, brokerPid } = require('./lib/broker-cost');
const { STAGE_NAMES } = require('./lib/profile-stages');
const { mdTable } = require('./lib/markdown');
const { formatNumber, formatTimestamp } = require('./lib/format');
const { spliceSection } = require('./lib/embedded-report');

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const settings = {
  amqpUrl: process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  prefetch: 100,
  window: 500,
};
const WARMUP = QUICK ? 1_000 : 3_000;
const COUNT = QUICK ? 5_000 : 30_000;
const RUNS = QUICK ? 1 : 3;
const BROKER_MESSAGES = QUICK ? 5_000 : 20_000;
const BROKER_ROUNDS = QUICK ? 1 : 3;

/** What is profiled: each is a publisher and a consumer process against each other. */
const SUBJECTS = [
  { id: 'event-bus-noidem', label: 'nestjs-event-bus, idempotent: false', kind: 'event-bus', options: { idempotent: false } },
  { id: 'event-bus', label: 'nestjs-event-bus, idempotent (ledger on)', kind: 'event-bus', options: { idempotent: true } },
  {
    id: 'event-bus-minimal',
    label: "nestjs-event-bus, idempotent: false, messageProperties: 'minimal'",
    kind: 'event-bus',
    options: { idempotent: false, messageProperties: 'minimal' },
  },
  { id: 'raw', label: 'raw amqplib, same wire format (mirrored)', kind: 'raw', options: {} },
  { id: 'raw-minimal', label: 'raw amqplib, same wire format (minimal)', kind: 'raw', options: { messageProperties: 'minimal' } },
];

/**
 * Runs one side of a subject in a worker process.
 * @returns {{ ready: Promise<void>, result: Promise<any> }}
 */
function startWorker(/** @type {object} */ job) {
  const child = fork(path.join(__dirname, 'profile-worker.js'), [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  /** @type {(v?: unknown) => void} */
  let onReady = () => undefined;
  const ready = new Promise((resolve) => (onReady = resolve));
  const result = new Promise((resolve, reject) => {
    child.on('message', (/** @type {any} */ m) => {
      if (m.ready) onReady();
      if (m.result) resolve(m.result);
      if (m.error) reject(new Error(m.error));
    });
    child.on('exit', (code) => {
      onReady();
      reject(new Error(`${job.role} worker exited with code ${code}`));
    });
  });
  return { ready: /** @type {Promise<void>} */ (ready), result };
}

/** Names of one subject's run; everything under `bench.profile.<run id>`. */
function namesFor(/** @type {string} */ runId, /** @type {string} */ id, /** @type {number} */ run) {
  const base = `bench.profile.${runId}.${id}.${run}`;
  return {
    exchange: `${base}.events`,
    deadLetterExchange: `${base}.dlx`,
    queue: `${base}.q`,
    type: 'USER_CREATED',
    serviceName: `bench-profile-${runId}-${id}`,
    keyPrefix: `bench:profile:${runId}:${id}:${run}:`,
  };
}

async function profileSubject(/** @type {typeof SUBJECTS[number]} */ subject, /** @type {string} */ runId, /** @type {string} */ library) {
  const sums = { publish: new Map(), consume: new Map() };
  const cpu = { publish: 0, consume: 0 };
  const rates = [];
  /** @type {Record<string, Array<{ name: string, micros: number }>>} */
  let hottest = {};
  for (let run = 1; run <= RUNS; run++) {
    const names = namesFor(runId, subject.id, run);
    const base = { kind: subject.kind, options: subject.options, names, settings, warmup: WARMUP, count: COUNT, library };
    const consumer = startWorker({ ...base, role: 'consume' });
    await consumer.ready;
    const publisher = startWorker({ ...base, role: 'publish' });
    const [published, consumed] = await Promise.all([publisher.result, consumer.result]);
    for (const [side, result] of /** @type {const} */ ([
      ['publish', published],
      ['consume', consumed],
    ])) {
      for (const [stage, micros] of Object.entries(result.stages)) sums[side].set(stage, (sums[side].get(stage) ?? 0) + micros);
      cpu[side] += result.cpuMicros;
    }
    rates.push(published.msgPerSecond);
    hottest = { publish: published.hottest, consume: consumed.hottest };
  }
  const events = COUNT * RUNS;
  const perEvent = (/** @type {Map<string, number>} */ m) => new Map([...m].map(([stage, micros]) => [stage, micros / events]));
  return {
    subject,
    publish: perEvent(sums.publish),
    consume: perEvent(sums.consume),
    cpuPerEvent: { publish: cpu.publish / events, consume: cpu.consume / events },
    msgPerSecond: rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)],
    hottest,
  };
}

async function deleteEverything(/** @type {string} */ runId) {
  const connection = await amqp.connect(settings.amqpUrl);
  connection.on('error', () => undefined);
  for (const subject of SUBJECTS) {
    for (let run = 1; run <= RUNS; run++) {
      const n = namesFor(runId, subject.id, run);
      for (const queue of [n.queue, `${n.queue}.dlq`, `${n.queue}.retry.1000`]) {
        const ch = await connection.createChannel();
        ch.on('error', () => undefined);
        await ch.deleteQueue(queue).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      for (const exchange of [n.exchange, n.deadLetterExchange]) {
        const ch = await connection.createChannel();
        ch.on('error', () => undefined);
        await ch.deleteExchange(exchange).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    }
  }
  await connection.close();
  const redis = await RedisAdmin.connect(settings.redisUrl).catch(() => undefined);
  await redis?.deleteKeys(`bench:profile:${runId}:`).catch(() => undefined);
  await redis?.close();
}

const us = (/** @type {number | undefined} */ v) => (v === undefined ? '—' : formatNumber(v, 1));

/** One table per side: stages down, subjects across, µs of CPU per event. */
function stageTable(/** @type {any[]} */ results, /** @type {'publish' | 'consume'} */ side) {
  const used = STAGE_NAMES.filter((stage) => results.some((r) => (r[side].get(stage) ?? 0) / 1 >= 0.05));
  const rows = used.map((stage) => [stage, ...results.map((r) => us(r[side].get(stage)))]);
  rows.push(['**total (profiled CPU)**', ...results.map((r) => `**${us([...r[side].values()].reduce((a, b) => a + b, 0))}**`)]);
  rows.push(['process CPU (user + system)', ...results.map((r) => us(r.cpuPerEvent[side]))]);
  return mdTable(['µs per event', ...results.map((r) => r.subject.label)], rows);
}

function report(/** @type {any[]} */ results, /** @type {any} */ broker, /** @type {string} */ revision, /** @type {number} */ tookMs) {
  const lines = [
    '# Where the time goes',
    '',
    `Generated by \`npm run bench:profile${QUICK ? ' -- --quick' : ''}\` on ${formatTimestamp(new Date())} (${RUNS} run${RUNS > 1 ? 's' : ''} of ${formatNumber(COUNT, 0)} events per subject after ${formatNumber(WARMUP, 0)} warm-up events, took ${Math.round(tookMs / 1000)} s; nestjs-event-bus ${revision}).`,
    '',
    'A publisher process and a consumer process run against each other (500 publishes awaiting their confirm, prefetch 100, a ~300-byte event). Each profiles itself with the V8 sampling profiler while it handles the measured events, and every sample is charged to the first frame from the running function towards the root that names a stage (bench/lib/profile-stages.js): JSON.stringify called by the encoder counts as encoding, amqplib called by the confirm tracker as amqplib, a promise hook as AsyncLocalStorage wherever it fired. Figures are µs of CPU per event; idle time is not counted. The profiler costs a little itself, so "process CPU" (from `process.cpuUsage()`, same window) is a bit above the profiled total.',
    '',
    '## Publisher',
    '',
    stageTable(results, 'publish'),
    '',
    '## Consumer',
    '',
    stageTable(results, 'consume'),
    '',
    '## Broker CPU per message and wire format',
    '',
  ];
  if (broker.skipped) lines.push(broker.skipped, '');
  else {
    lines.push(
      `The broker's own CPU time (user + system of its process, from /proc) per message while ${formatNumber(BROKER_MESSAGES, 0)} persistent messages are published with confirms (500 in flight) into a durable queue and then consumed with prefetch 100 and acks; formats take turns, median of ${BROKER_ROUNDS} round${BROKER_ROUNDS > 1 ? 's' : ''}. Erlang's schedulers spin while waiting for work, which shows up as CPU time; compare formats with each other, within one run.`,
      '',
      mdTable(
        ['Wire format', 'Body bytes', 'Broker µs per publish', 'Broker µs per delivery + ack', 'Total', 'vs bare JSON'],
        broker.rows.map((/** @type {any} */ r) => [
          r.label,
          formatNumber(r.bodyBytes, 0),
          us(r.publishMicros),
          us(r.consumeMicros),
          us(r.publishMicros + r.consumeMicros),
          `${formatNumber((r.publishMicros + r.consumeMicros) / (broker.rows[0].publishMicros + broker.rows[0].consumeMicros), 2)}×`,
        ]),
      ),
      '',
    );
  }
  lines.push('## Hottest functions (self time, last run)', '');
  for (const r of results) {
    lines.push(`<details><summary>${r.subject.label}</summary>`, '');
    for (const side of /** @type {const} */ (['publish', 'consume'])) {
      lines.push(
        mdTable(
          [`${side === 'publish' ? 'Publisher' : 'Consumer'} function`, 'ms'],
          (r.hottest[side] ?? []).map((/** @type {any} */ h) => [h.name.replace(/\|/g, '\\|'), formatNumber(h.micros / 1000, 1)]),
        ),
        '',
      );
    }
    lines.push('</details>', '');
  }
  return lines.join('\n');
}

async function main() {
  const started = Date.now();
  if (!argv.includes('--no-build')) buildLibrary();
  const runId = randomBytes(3).toString('hex');
  const snapshot = snapshotLibrary(`profile-${runId}`);
  const revision = libraryRevision();
  const cleanUp = async () => {
    await deleteEverything(runId).catch((err) => console.error(`Clean-up: ${err.message}`));
    snapshot.remove();
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const results = [];
    for (const subject of SUBJECTS) {
      console.log(`profiling ${subject.label} ...`);
      results.push(await profileSubject(subject, runId, snapshot.entry));
    }
    const pid = brokerPid();
    const broker =
      pid === undefined
        ? { skipped: 'Not measured: the broker does not run on this machine (or its process could not be found; set BROKER_PID).' }
        : await measureBrokerCost({
            url: settings.amqpUrl,
            pid,
            messages: BROKER_MESSAGES,
            rounds: BROKER_ROUNDS,
            queuePrefix: `bench.profile.${runId}.broker`,
          });
    const markdown = report(results, broker, revision, Date.now() - started);
    fs.writeFileSync(path.join(__dirname, '..', 'docs', 'benchmarks-profile.md'), `${markdown}\n`);
    spliceSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), 'profile', markdown);
    console.log(markdown);
  } finally {
    await cleanUp();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
