'use strict';

/**
 * `npm run bench [-- --quick]`: benchmarks nestjs-event-bus against raw amqplib,
 * @golevelup/nestjs-rabbitmq and @nestjs/microservices on the same broker, prints the
 * summary and rewrites docs/benchmarks.md. With `--prefetch-sweep`, measures nestjs-event-bus
 * at several consumer prefetch values instead and rewrites docs/benchmarks-prefetch.md; with
 * `--scaling`, measures with 1, 2 and 4 consumer processes and rewrites docs/benchmarks-scaling.md.
 * See bench/README.md.
 */

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseSettings } = require('./lib/settings');
const { buildLibrary } = require('./lib/build-library');
const { snapshotLibrary } = require('./lib/library-snapshot');
const { libraryRevision } = require('./lib/source-revision');
const { BrokerAdmin } = require('./lib/broker-admin');
const { RedisAdmin } = require('./lib/redis-admin');
const { describeEnvironment, loadAverages } = require('./lib/environment');
const { runContender } = require('./lib/run-contender');
const { cleanUpAll } = require('./lib/clean-up');
const { listFailures } = require('./lib/failures');
const { formatDuration } = require('./lib/format');
const { spliceSection } = require('./lib/embedded-report');
const { selectMode } = require('./modes/index');

/** Progress lines pad contender labels to at least this width. */
const LABEL_WIDTH = 36;

async function main() {
  const startedAt = new Date();
  const argv = process.argv.slice(2);
  // `--scaling` picks the scaling curve (bench/modes/scaling.js); the other settings apply as usual.
  const scaling = argv.includes('--scaling');
  const settings = parseSettings(argv.filter((a) => a !== '--scaling'));
  /** @type {import('./modes/index').BenchMode & { runPlan?: typeof runContender }} */
  const mode = scaling ? require('./modes/scaling') : selectMode(settings);
  const contenders = mode.contenders(settings);

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
  const plans = mode.plans(runId, contenders, settings);
  for (const plan of plans) if (plan.spec.needsBuild && buildError) plan.blocked = buildError;

  /** @type {import('node:child_process').ChildProcess | null} */
  let running = null;
  // Ctrl-C: stop the running worker and start no other; the clean-up below then removes
  // everything (no worker is left to re-declare a queue after it).
  const interrupt = { requested: false };
  process.once('SIGINT', () => {
    console.error('\nInterrupted: removing what this run created…');
    interrupt.requested = true;
    running?.kill('SIGKILL');
  });
  /** @type {import('./lib/run-contender').RunContext} */
  const context = {
    phases: mode.phases,
    library: snapshot?.entry,
    broker,
    redis,
    interrupt,
    track: (child) => (running = child),
    labelWidth: Math.max(LABEL_WIDTH, ...plans.map((p) => p.label.length)),
  };

  console.log(
    `nestjs-event-bus ${mode.title(settings)}, ${settings.mode} mode (${settings.runs} run${settings.runs > 1 ? 's' : ''}): ` +
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
        plan.results.runs[run - 1] = await (mode.runPlan ?? runContender)(plan, run, context);
      }
    }
  } finally {
    await cleanUpAll(plans, broker, redis);
  }
  if (interrupt.requested) process.exit(130);

  environment.loadAfter = loadAverages();
  const durationMs = Date.now() - startedAt.getTime();
  const failures = listFailures(plans, [...mode.phases, 'drain']);
  const report = mode.report({ settings, environment, plans, failures, startedAt, durationMs });
  console.log(`\n${report.text}`);
  if (failures.length > 0) console.log(`Failures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);

  fs.mkdirSync(path.dirname(report.file), { recursive: true });
  fs.writeFileSync(report.file, report.markdown);
  // A mode with a report of its own also puts it into docs/benchmarks.md, in its section.
  if (report.section) spliceSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), report.section, report.markdown);
  console.log(`Wrote ${path.relative(process.cwd(), report.file)} — total time ${formatDuration(durationMs)}`);
}

main().catch((err) => {
  console.error(`Benchmark aborted: ${err?.stack ?? err}`);
  process.exit(1);
});
