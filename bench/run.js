'use strict';

/**
 * `npm run bench [-- --quick]`: benchmarks nestjs-event-bus against raw amqplib,
 * @golevelup/nestjs-rabbitmq and @nestjs/microservices on the same broker, prints the
 * summary and rewrites docs/benchmarks.md. See bench/README.md.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseSettings } = require('./lib/settings');
const { selectContenders } = require('./lib/contenders');
const { resourceNames } = require('./lib/resource-names');
const { buildLibrary } = require('./lib/build-library');
const { snapshotLibrary } = require('./lib/library-snapshot');
const { libraryRevision } = require('./lib/source-revision');
const { BrokerAdmin } = require('./lib/broker-admin');
const { RedisAdmin } = require('./lib/redis-admin');
const { describeEnvironment, loadAverages } = require('./lib/environment');
const { runWorker } = require('./lib/fork-worker');
const { describePhase } = require('./lib/progress');
const { summarise } = require('./lib/aggregate');
const { checkTargets } = require('./lib/targets');
const { consoleReport } = require('./lib/report-console');
const { markdownReport } = require('./lib/report-markdown');
const { formatDuration } = require('./lib/format');

const REPORT_FILE = path.join(__dirname, '..', 'docs', 'benchmarks.md');
const MAIN_PHASES = ['publish', 'e2e', 'latency', 'backlog'];
const ALL_PHASES = [...MAIN_PHASES, 'drain'];

/**
 * @typedef {object} Plan
 * @property {import('./lib/contenders').ContenderSpec} spec
 * @property {import('./lib/resource-names').ResourceNames} names
 * @property {string | undefined} blocked why this contender cannot run at all
 * @property {import('./lib/aggregate').ContenderResults} results
 */

async function main() {
  const startedAt = new Date();
  const settings = parseSettings(process.argv.slice(2));
  const contenders = selectContenders(settings.only);

  /** @type {string | undefined} */
  let buildError;
  if (settings.build && contenders.some((c) => c.needsBuild)) {
    const build = buildLibrary();
    if (!build.ok) {
      buildError = build.error;
      console.error(buildError);
    }
  }

  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  /** @type {ReturnType<typeof snapshotLibrary> | undefined} */
  let snapshot;
  if (!buildError && contenders.some((c) => c.needsBuild)) {
    try {
      snapshot = snapshotLibrary(runId);
      // However the run ends (error, Ctrl-C), the copy goes with it.
      process.once('exit', () => snapshot?.remove());
    } catch (err) {
      buildError = `the built library could not be loaded: ${/** @type {Error} */ (err).message}`;
      console.error(buildError);
    }
  }

  const broker = await BrokerAdmin.connect(settings.amqpUrl);
  /** @type {RedisAdmin | undefined} */
  let redis;
  try {
    redis = await RedisAdmin.connect(settings.redisUrl);
  } catch (err) {
    console.error(`Redis unreachable (${/** @type {Error} */ (err).message}): Redis figures will be missing`);
  }
  const environment = describeEnvironment({ rabbitmq: broker.version, redis: redis ? await redis.version() : 'unreachable' });

  environment.libraryRevision = libraryRevision();
  /** @type {Plan[]} */
  const plans = contenders.map((spec) => ({
    spec,
    names: resourceNames(runId, spec),
    blocked: spec.needsBuild && buildError ? buildError : undefined,
    results: { spec, runs: [], bodyBytes: undefined, loads: [] },
  }));

  /** @type {import('node:child_process').ChildProcess | null} */
  let running = null;
  const cleanUp = () => cleanUpAll(plans, broker, redis);
  // Ctrl-C: stop the running worker and start no other; the clean-up below then removes
  // everything (no worker is left to re-declare a queue after it).
  const interrupt = { requested: false };
  process.once('SIGINT', () => {
    console.error('\nInterrupted: removing what this run created…');
    interrupt.requested = true;
    running?.kill('SIGKILL');
  });

  console.log(
    `nestjs-event-bus benchmark, ${settings.mode} mode (${settings.runs} run${settings.runs > 1 ? 's' : ''}): ` +
      `${environment.cpus} × ${environment.cpuModel}, Node ${environment.node}, RabbitMQ ${environment.rabbitmq}, Redis ${environment.redis}`,
  );

  try {
    for (const plan of plans) {
      if (plan.blocked || plan.spec.topology === 'library') continue;
      await broker.declare(plan.names).catch((err) => (plan.blocked = `could not declare its queues: ${err.message}`));
    }
    for (let run = 1; run <= settings.runs; run++) {
      // Rotating the order keeps any drift of the shared broker from always hitting the same contender.
      const order = plans.map((_, i) => plans[(i + run - 1) % plans.length]);
      for (const plan of order) {
        if (interrupt.requested) break;
        plan.results.runs[run - 1] = await runContender(plan, run, settings, snapshot?.entry, broker, redis, interrupt, (child) => (running = child));
      }
    }
  } finally {
    await cleanUp();
  }
  if (interrupt.requested) process.exit(130);

  environment.loadAfter = loadAverages();
  const durationMs = Date.now() - startedAt.getTime();
  const results = plans.map((p) => p.results);
  const rows = summarise(results);
  const targets = checkTargets(rows);
  const failures = listFailures(results);
  console.log(`\n${consoleReport(rows, targets)}`);
  if (failures.length > 0) console.log(`Failures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);

  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, markdownReport({ settings, environment, rows, results, targets, failures, startedAt, durationMs }));
  console.log(`Wrote ${path.relative(process.cwd(), REPORT_FILE)} — total time ${formatDuration(durationMs)}`);
}

/**
 * One run of one contender: the main worker, then (if the backlog was filled) the draining
 * worker; afterwards its queues are emptied and its Redis keys deleted.
 *
 * @param {Plan} plan
 * @param {number} run
 * @param {import('./lib/settings').BenchSettings} settings
 * @param {string | undefined} library the run's snapshot of nestjs-event-bus
 * @param {BrokerAdmin} broker
 * @param {RedisAdmin | undefined} redis
 * @param {{ requested: boolean }} interrupt set on Ctrl-C: start no further worker
 * @param {(child: import('node:child_process').ChildProcess | null) => void} track
 * @returns {Promise<Record<string, import('./lib/fork-worker').PhaseOutcome>>}
 */
async function runContender(plan, run, settings, library, broker, redis, interrupt, track) {
  const { spec, names } = plan;
  /** @type {Record<string, import('./lib/fork-worker').PhaseOutcome>} */
  const outcomes = {};
  if (plan.blocked) {
    for (const phase of ALL_PHASES) outcomes[phase] = { ok: false, error: plan.blocked };
    console.log(`[run ${run}/${settings.runs}] ${spec.label}: skipped (${plan.blocked})`);
    return outcomes;
  }
  const log = (/** @type {string} */ phase, /** @type {import('./lib/fork-worker').PhaseOutcome} */ outcome) =>
    console.log(`[run ${run}/${settings.runs}] ${spec.label.padEnd(36)} ${phase.padEnd(8)} ${describePhase(phase, outcome)}`);

  /** Requests a worker may make of the harness. */
  const onRequest = async (/** @type {string} */ op, /** @type {Record<string, unknown>} */ args) => {
    if (op === 'purge') {
      const queue = names.queues[/** @type {import('./lib/resource-names').Target} */ (args.target)];
      if (!queue) throw new Error(`unknown target ${String(args.target)}`);
      // The sink holds the warm-up events when first purged: one of them shows the wire size.
      if (args.target === 'sink' && plan.results.bodyBytes === undefined) plan.results.bodyBytes = await broker.takeBodySize(queue);
      return broker.purge(queue);
    }
    if (op === 'redisCalls') {
      if (!redis) throw new Error('Redis unreachable');
      return redis.commandCalls();
    }
    throw new Error(`unknown request ${op}`);
  };

  const job = { run, spec, names, settings, library: spec.needsBuild ? library : undefined };
  plan.results.loads[run - 1] = os.loadavg()[0];
  const main = await runWorker({
    job: { ...job, role: 'main' },
    timeoutMs: 4 * settings.phaseTimeoutMs + settings.latencySeconds * 1000 + 60_000,
    onRequest,
    onPhase: log,
    track,
  });
  for (const phase of MAIN_PHASES) {
    outcomes[phase] = main.phases[phase] ?? { ok: false, error: main.failure ?? 'not reported' };
    if (!main.phases[phase]) log(phase, outcomes[phase]);
  }

  if (outcomes.backlog.ok && !interrupt.requested) {
    const drain = await runWorker({ job: { ...job, role: 'drain' }, timeoutMs: 2 * settings.phaseTimeoutMs + 30_000, onRequest, onPhase: log, track });
    outcomes.drain = drain.phases.drain ?? { ok: false, error: drain.failure ?? 'not reported' };
    if (!drain.phases.drain) log('drain', outcomes.drain);
  } else {
    outcomes.drain = { ok: false, error: 'the backlog was not filled' };
    log('drain', outcomes.drain);
  }

  // Nothing of this contender may linger into the next one's measurements.
  for (const queue of [...Object.values(names.queues), ...names.extraQueues]) await broker.purge(queue).catch(() => undefined);
  if (spec.usesRedis && redis && names.keyPrefix) await redis.deleteKeys(names.keyPrefix).catch(() => undefined);
  return outcomes;
}

/**
 * Deletes every queue, exchange and Redis key the run created, then closes the harness's
 * connections. Problems are reported, never thrown.
 *
 * @param {Plan[]} plans
 * @param {BrokerAdmin} broker
 * @param {RedisAdmin | undefined} redis
 * @returns {Promise<void>}
 */
async function cleanUpAll(plans, broker, redis) {
  const problems = [];
  for (const { names, spec } of plans) {
    problems.push(
      ...(await broker.remove({
        queues: [...Object.values(names.queues), ...names.extraQueues],
        exchanges: [names.exchange, names.deadLetterExchange ?? ''].filter(Boolean),
      })),
    );
    if (spec.usesRedis && redis && names.keyPrefix) await redis.deleteKeys(names.keyPrefix).catch((err) => problems.push(`Redis keys: ${err.message}`));
  }
  if (problems.length > 0) console.error(`Clean-up problems:\n  ${problems.join('\n  ')}`);
  await broker.close();
  await redis?.close();
}

/**
 * @param {import('./lib/aggregate').ContenderResults[]} results
 * @returns {string[]} one line per failed phase of a run
 */
function listFailures(results) {
  /** @type {string[]} */
  const lines = [];
  for (const r of results) {
    r.runs.forEach((run, i) => {
      for (const phase of ALL_PHASES) {
        const outcome = run[phase];
        if (outcome && !outcome.ok) lines.push(`${r.spec.label}, run ${i + 1}, ${phase}: ${outcome.error}`);
      }
    });
  }
  return lines;
}

main().catch((err) => {
  console.error(`Benchmark aborted: ${err?.stack ?? err}`);
  process.exit(1);
});
