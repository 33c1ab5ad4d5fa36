'use strict';

const os = require('node:os');
const { runWorker } = require('./fork-worker');
const { describePhase } = require('./progress');
const { resourceNames } = require('./resource-names');

/**
 * @typedef {object} Plan one contender, in one configuration, of a benchmark run
 * @property {import('./contenders').ContenderSpec} spec
 * @property {string} label its name in progress lines and failures
 * @property {import('./resource-names').ResourceNames} names
 * @property {import('./settings').BenchSettings} settings what its workers run with
 * @property {string | undefined} blocked why this contender cannot run at all
 * @property {import('./aggregate').ContenderResults} results
 *
 * @typedef {object} RunContext what every contender run of a benchmark run shares
 * @property {string[]} phases the main worker's phases; the drain follows when they include `backlog`
 * @property {string | undefined} library the run's snapshot of nestjs-event-bus
 * @property {import('./broker-admin').BrokerAdmin} broker
 * @property {import('./redis-admin').RedisAdmin | undefined} redis
 * @property {{ requested: boolean }} interrupt set on Ctrl-C: start no further worker
 * @property {(child: import('node:child_process').ChildProcess | null) => void} track told the running worker
 * @property {number} labelWidth progress lines pad labels to this width
 */

/**
 * A contender's plan, with nothing measured yet.
 *
 * @param {string} runId
 * @param {import('./contenders').ContenderSpec} spec
 * @param {import('./settings').BenchSettings} settings what its workers run with
 * @param {{ label?: string, variant?: string }} [options] `variant` is added to the contender's
 *   id in its resource names, so each configuration of one contender gets queues and keys of its own
 * @returns {Plan}
 */
function newPlan(runId, spec, settings, { label = spec.label, variant } = {}) {
  return {
    spec,
    label,
    names: resourceNames(runId, variant ? { ...spec, id: `${spec.id}-${variant}` } : spec),
    settings,
    blocked: undefined,
    results: { spec, runs: [], bodyBytes: undefined, loads: [] },
  };
}

/**
 * One run of one contender: the main worker, then (if the backlog was filled) the draining
 * worker; afterwards its queues are emptied and its Redis keys deleted.
 *
 * @param {Plan} plan
 * @param {number} run
 * @param {RunContext} ctx
 * @returns {Promise<Record<string, import('./fork-worker').PhaseOutcome>>}
 */
async function runContender(plan, run, { phases, library, broker, redis, interrupt, track, labelWidth }) {
  const { spec, names, settings } = plan;
  const drains = phases.includes('backlog');
  /** @type {Record<string, import('./fork-worker').PhaseOutcome>} */
  const outcomes = {};
  if (plan.blocked) {
    for (const phase of [...phases, ...(drains ? ['drain'] : [])]) outcomes[phase] = { ok: false, error: plan.blocked };
    console.log(`[run ${run}/${settings.runs}] ${plan.label}: skipped (${plan.blocked})`);
    return outcomes;
  }
  const log = (/** @type {string} */ phase, /** @type {import('./fork-worker').PhaseOutcome} */ outcome) =>
    console.log(`[run ${run}/${settings.runs}] ${plan.label.padEnd(labelWidth)} ${phase.padEnd(8)} ${describePhase(phase, outcome)}`);

  /** Requests a worker may make of the harness. */
  const onRequest = async (/** @type {string} */ op, /** @type {Record<string, unknown>} */ args) => {
    if (op === 'purge') {
      const queue = names.queues[/** @type {import('./resource-names').Target} */ (args.target)];
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
    job: { ...job, role: 'main', phases },
    timeoutMs: 4 * settings.phaseTimeoutMs + settings.latencySeconds * 1000 + 60_000,
    onRequest,
    onPhase: log,
    track,
  });
  for (const phase of phases) {
    outcomes[phase] = main.phases[phase] ?? { ok: false, error: main.failure ?? 'not reported' };
    if (!main.phases[phase]) log(phase, outcomes[phase]);
  }

  if (drains && outcomes.backlog.ok && !interrupt.requested) {
    const drain = await runWorker({
      job: { ...job, role: 'drain' },
      timeoutMs: 2 * settings.phaseTimeoutMs + 30_000,
      onRequest,
      onPhase: log,
      track,
    });
    outcomes.drain = drain.phases.drain ?? { ok: false, error: drain.failure ?? 'not reported' };
    if (!drain.phases.drain) log('drain', outcomes.drain);
  } else if (drains) {
    outcomes.drain = { ok: false, error: 'the backlog was not filled' };
    log('drain', outcomes.drain);
  }

  // Nothing of this contender may linger into the next one's measurements.
  for (const queue of [...Object.values(names.queues), ...names.extraQueues]) await broker.purge(queue).catch(() => undefined);
  if (spec.usesRedis && redis && names.keyPrefix) await redis.deleteKeys(names.keyPrefix).catch(() => undefined);
  return outcomes;
}

module.exports = { newPlan, runContender };
