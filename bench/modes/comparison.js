'use strict';

const path = require('node:path');
const { selectContenders } = require('../lib/contenders');
const { newPlan } = require('../lib/run-contender');
const { summarise } = require('../lib/aggregate');
const { checkTargets } = require('../lib/targets');
const { consoleReport } = require('../lib/report-console');
const { markdownReport } = require('../lib/report-markdown');

/**
 * The default run: every contender (or those named with `--only`) through every phase, with
 * the settings as they are; reports the figures, their ratios to raw amqplib and the targets,
 * and rewrites docs/benchmarks.md.
 *
 * @type {import('./index').BenchMode}
 */
module.exports = {
  title: () => 'benchmark',
  phases: ['publish', 'e2e', 'latency', 'backlog'],
  contenders: (settings) => selectContenders(settings.only),
  plans: (runId, specs, settings) => specs.map((spec) => newPlan(runId, spec, settings)),
  report({ settings, environment, plans, failures, startedAt, durationMs }) {
    const results = plans.map((p) => p.results);
    const rows = summarise(results);
    const targets = checkTargets(rows);
    return {
      text: consoleReport(rows, targets),
      file: path.join(__dirname, '..', '..', 'docs', 'benchmarks.md'),
      markdown: markdownReport({ settings, environment, rows, results, targets, failures, startedAt, durationMs }),
    };
  },
};
