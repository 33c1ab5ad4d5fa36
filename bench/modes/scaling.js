'use strict';

const path = require('node:path');
const { selectContenders } = require('../lib/contenders');
const { newPlan } = require('../lib/run-contender');
const { PAYLOADS, scalingFigures } = require('../lib/scaling-settings');
const { withIdleQueue } = require('../lib/scaling-names');
const { runScalingPlan, scalingPhases } = require('../lib/run-scaling-plan');
const { summariseScaling } = require('../lib/scaling-summary');
const { scalingConsoleReport } = require('../lib/report-scaling-console');
const { scalingMarkdownReport } = require('../lib/report-scaling-markdown');

/** The contenders of the scaling curve: the baseline, golevelup and both nestjs-event-bus variants. */
const SCALED_IDS = Object.freeze(['raw', 'golevelup', 'event-bus', 'event-bus-noidem']);

/**
 * `--scaling`: every scaled contender with 1, 2 and 4 consumer processes on one shared queue
 * and a separate publishing process, through an end-to-end and a latency phase at each payload
 * size (lib/scaling-settings.js); reports one table per size and rewrites
 * docs/benchmarks-scaling.md. Each configuration (contender and consumer count) gets queues and
 * Redis keys of its own and is run by lib/run-scaling-plan.js instead of the usual worker.
 *
 * @type {import('./index').BenchMode & { runPlan: typeof runScalingPlan }}
 */
module.exports = {
  title: (settings) => `scaling curve (${scalingFigures(settings.mode).instanceCounts.join(', ')} consumers)`,
  phases: scalingPhases(PAYLOADS),
  contenders(settings) {
    const specs = selectContenders(settings.only ?? [...SCALED_IDS]);
    // A publisher is kept off the shared queue through its names (lib/scaling-names.js), which
    // needs a topic exchange; @nestjs/microservices publishes to a queue by name instead.
    const unfit = specs.filter((spec) => spec.topology === 'queue');
    if (unfit.length > 0)
      throw new Error(`--scaling cannot measure ${unfit.map((s) => s.id).join(', ')} (it publishes to a queue, not an exchange)`);
    return specs;
  },
  plans(runId, specs, settings) {
    const figures = scalingFigures(settings.mode);
    return figures.instanceCounts.flatMap((consumers) =>
      specs.map((spec) => {
        const label = `${spec.label}, ${consumers} consumer${consumers === 1 ? '' : 's'}`;
        /** @type {import('../lib/run-scaling-plan').ScalingSettings} */
        const planSettings = { ...settings, ...figures, consumers };
        const plan = newPlan(runId, spec, planSettings, { label, variant: `n${consumers}` });
        return { ...plan, names: withIdleQueue(plan.names) };
      }),
    );
  },
  runPlan: runScalingPlan,
  report({ settings, environment, plans, failures, startedAt, durationMs }) {
    const figures = scalingFigures(settings.mode);
    const tables = summariseScaling(plans, figures.payloads);
    return {
      text: scalingConsoleReport(tables),
      file: path.join(__dirname, '..', '..', 'docs', 'benchmarks-scaling.md'),
      section: 'scaling',
      markdown: scalingMarkdownReport({ settings, figures, environment, plans, tables, failures, startedAt, durationMs }),
    };
  },
};
