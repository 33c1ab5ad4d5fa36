'use strict';

const os = require('node:os');
const { ScalingGroup } = require('./scaling-group');
const { publisherNames } = require('./scaling-names');
const { formatNumber } = require('./format');
const { measureScalingEndToEnd } = require('../phases/scaling-end-to-end');
const { measureScalingLatency } = require('../phases/scaling-latency');

/**
 * @typedef {import('./settings').BenchSettings & import('./scaling-settings').ScalingFigures} ScalingSettings
 *   what the processes of a scaling configuration run with
 */

/** The phases of each payload size, in order; a phase's name is `<kind>-<payload id>`. */
const PHASE_KINDS = /** @type {const} */ ([
  ['e2e', measureScalingEndToEnd],
  ['latency', measureScalingLatency],
]);

/**
 * Names of the phases a scaling configuration reports, in order.
 *
 * @param {readonly { id: string }[]} payloads
 * @returns {string[]}
 */
function scalingPhases(payloads) {
  return payloads.flatMap((p) => PHASE_KINDS.map(([kind]) => `${kind}-${p.id}`));
}

/**
 * One progress line's figures.
 *
 * @param {string} phase
 * @param {import('./fork-worker').PhaseOutcome} outcome
 * @returns {string}
 */
function describeScalingPhase(phase, outcome) {
  if (!outcome.ok) return `FAILED: ${outcome.error}`;
  const f = outcome.figures;
  if (phase.startsWith('e2e-')) return `${formatNumber(f.msgPerSec, 0)} msg/s, busiest consumer ${formatNumber(100 * f.busiestShare, 0)}%`;
  return `p50 ${formatNumber(f.p50, 2)} ms, p99 ${formatNumber(f.p99, 2)} ms at ${formatNumber(f.rate, 0)} msg/s`;
}

/**
 * One run of one scaling configuration (a contender with a number of consumer processes): starts
 * its consumers and publishers, takes every payload size through the end-to-end and latency
 * phases with the same processes, closes them, then empties its queues and deletes its Redis
 * keys. A failing phase is reported and the next one still runs; only a failure to start fails
 * them all. The mode's replacement for lib/run-contender.js's `runContender`.
 *
 * @param {import('./run-contender').Plan} plan
 * @param {number} run
 * @param {import('./run-contender').RunContext} ctx
 * @returns {Promise<Record<string, import('./fork-worker').PhaseOutcome>>}
 */
async function runScalingPlan(plan, run, ctx) {
  const settings = /** @type {ScalingSettings} */ (plan.settings);
  const phases = scalingPhases(settings.payloads);
  /** @type {Record<string, import('./fork-worker').PhaseOutcome>} */
  const outcomes = {};
  const log = (/** @type {string} */ phase, /** @type {import('./fork-worker').PhaseOutcome} */ outcome) =>
    console.log(
      `[run ${run}/${settings.runs}] ${plan.label.padEnd(ctx.labelWidth)} ${phase.padEnd(12)} ${describeScalingPhase(phase, outcome)}`,
    );
  const failAll = (/** @type {string} */ error) => {
    for (const phase of phases) if (!outcomes[phase]) log(phase, (outcomes[phase] = { ok: false, error }));
  };
  if (plan.blocked) {
    failAll(plan.blocked);
    return outcomes;
  }

  plan.results.loads[run - 1] = os.loadavg()[0];
  // The publishers' idle queue: the harness declares it where it declares the others.
  if (plan.spec.topology !== 'library') await ctx.broker.declare(publisherNames(plan.names)).catch(() => undefined);
  const group = new ScalingGroup({
    plan,
    library: ctx.library,
    lifetimeMs: settings.payloads.length * 2 * (settings.phaseTimeoutMs + settings.latencySeconds * 1000) + 120_000,
    onRequest: async (op) => {
      throw new Error(`unknown request ${op}`);
    },
  });
  // Ctrl-C stops every process of the configuration, not one.
  ctx.track(/** @type {any} */ ({ kill: () => group.kill() }));
  try {
    await group.open(settings.phaseTimeoutMs);
    for (const payload of settings.payloads) {
      for (const [kind, measure] of PHASE_KINDS) {
        if (ctx.interrupt.requested) break;
        const phase = `${kind}-${payload.id}`;
        try {
          const figures = await measure({ group, tag: `r${run}-${phase}`, payload, settings });
          outcomes[phase] = { ok: true, figures };
        } catch (err) {
          outcomes[phase] = { ok: false, error: explain(err, group) };
          // What a failed phase left queued must not slow the next one down.
          await ctx.broker.purge(plan.names.queues.events).catch(() => undefined);
        }
        log(phase, outcomes[phase]);
      }
    }
  } catch (err) {
    failAll(`could not start: ${explain(err, group)}`);
  } finally {
    await group.close();
    ctx.track(null);
  }
  if (ctx.interrupt.requested) failAll('interrupted');

  for (const queue of [...Object.values(plan.names.queues), ...plan.names.extraQueues])
    await ctx.broker.purge(queue).catch(() => undefined);
  if (plan.spec.usesRedis && ctx.redis && plan.names.keyPrefix) await ctx.redis.deleteKeys(plan.names.keyPrefix).catch(() => undefined);
  return outcomes;
}

/**
 * An error's first line, with why a worker failed when one did.
 *
 * @param {unknown} err
 * @param {ScalingGroup} group
 * @returns {string}
 */
function explain(err, group) {
  const text = String(/** @type {Error} */ (err)?.message ?? err).split('\n')[0];
  const failure = group.failure();
  return (failure ? `${text} (${failure})` : text).slice(0, 600);
}

module.exports = { runScalingPlan, scalingPhases };
