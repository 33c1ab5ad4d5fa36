'use strict';

/**
 * One contender in its own process, started by the harness (bench/run.js) with a JSON
 * job as its only argument. Role `main`: publish, end-to-end and latency phases, then fills
 * the backlog (or only the phases the job names). Role `drain`: a fresh process that consumes
 * the backlog while its RSS is sampled. Every phase reports its figures or its error; one
 * failing phase does not stop the others.
 */

// First, so the sampled peak covers everything this process loads and allocates.
const { startRssSampler } = require('./lib/rss-sampler');

/**
 * @typedef {object} WorkerJob
 * @property {'main' | 'drain'} role
 * @property {number} run
 * @property {import('./lib/contenders').ContenderSpec} spec
 * @property {import('./lib/resource-names').ResourceNames} names
 * @property {import('./lib/settings').BenchSettings} settings
 * @property {string} [library] file to load nestjs-event-bus from
 * @property {string[]} [phases] role `main`: the phases to run, in their usual order (all when absent)
 */
/** @type {WorkerJob} */
const job = JSON.parse(process.argv[2] ?? '{}');
const sampler = startRssSampler(job.settings?.rssSampleMs ?? 100);

const { Arrivals } = require('./lib/arrivals');
const { withTimeout } = require('./lib/clock');
const { installRedisCommandCounter } = require('./lib/redis-command-counter');
const { request, send } = require('./lib/worker-ipc');
const { openContender } = require('./contenders/index');
const { measurePublish } = require('./phases/publish');
const { measureEndToEnd } = require('./phases/end-to-end');
const { measureLatency } = require('./phases/latency');
const { fillBacklog } = require('./phases/backlog');
const { measureDrain } = require('./phases/drain');

/** Longest a contender may take to close before the worker exits anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

/** Phases of the main worker, in order. */
const MAIN_PHASES = /** @type {const} */ ([
  ['publish', measurePublish],
  ['e2e', measureEndToEnd],
  ['latency', measureLatency],
  ['backlog', fillBacklog],
]);

/**
 * @param {unknown} err
 * @returns {string}
 */
function describe(err) {
  const e = /** @type {{ name?: string, message?: string }} */ (err);
  const text = e?.message ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(err);
  return text.split('\n')[0].slice(0, 400);
}

/**
 * @param {Arrivals} arrivals
 * @returns {import('./contenders/index').OpenOptions}
 */
function openOptions(arrivals) {
  return {
    role: job.role,
    names: job.names,
    settings: job.settings,
    options: job.spec.options ?? {},
    onPayload: (payload) => arrivals.onPayload(payload),
    library: job.library,
  };
}

async function runMain() {
  const counter = job.spec.usesRedis ? installRedisCommandCounter(job.library) : { count: () => 0 };
  const arrivals = new Arrivals();
  const contender = await withTimeout(openContender(job.spec.module, openOptions(arrivals)), job.settings.phaseTimeoutMs, () => 'starting');
  /** @type {import('./phases/context').PhaseContext} */
  const ctx = {
    contender,
    arrivals,
    settings: job.settings,
    run: job.run,
    request,
    redisCommandsSent: counter.count,
  };
  for (const [phase, measure] of MAIN_PHASES) {
    if (job.phases && !job.phases.includes(phase)) continue;
    try {
      const figures = await measure(ctx);
      await send({ kind: 'phase', phase, ok: true, figures });
    } catch (err) {
      await send({ kind: 'phase', phase, ok: false, error: describe(err) });
    }
  }
  await withTimeout(contender.close(), CLOSE_TIMEOUT_MS, () => 'closing').catch(() => undefined);
}

async function runDrain() {
  const arrivals = new Arrivals();
  try {
    const { figures, contender } = await measureDrain({ spec: job.spec, open: openOptions(arrivals), arrivals, sampler, run: job.run });
    await send({ kind: 'phase', phase: 'drain', ok: true, figures });
    await withTimeout(contender.close(), CLOSE_TIMEOUT_MS, () => 'closing').catch(() => undefined);
  } catch (err) {
    await send({ kind: 'phase', phase: 'drain', ok: false, error: describe(err) });
  }
}

(job.role === 'drain' ? runDrain() : runMain()).then(
  // Exit explicitly: a library may keep timers or sockets alive after closing.
  () => process.exit(0),
  async (err) => {
    await send({ kind: 'fatal', error: describe(err) }).catch(() => undefined);
    process.exit(1);
  },
);
