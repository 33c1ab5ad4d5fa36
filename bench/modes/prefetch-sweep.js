'use strict';

const path = require('node:path');
const { selectContenders } = require('../lib/contenders');
const { newPlan } = require('../lib/run-contender');
const { summariseSweep } = require('../lib/prefetch-summary');
const { sweepConsoleReport } = require('../lib/report-prefetch-console');
const { sweepMarkdownReport } = require('../lib/report-prefetch-markdown');

/** The consumer prefetch values measured, in table order. */
const PREFETCH_VALUES = Object.freeze([10, 50, 100, 200, 500]);

/** The contenders swept: nestjs-event-bus with and without its idempotency ledger. */
const SWEPT_IDS = Object.freeze(['event-bus', 'event-bus-noidem']);

/**
 * `--prefetch-sweep`: the nestjs-event-bus contenders through the end-to-end and the
 * backlog/drain phases once per prefetch value, everything else as in the default run (the
 * publish window included); reports one table per contender and rewrites
 * docs/benchmarks-prefetch.md. Each prefetch value gets queues and Redis keys of its own.
 *
 * @type {import('./index').BenchMode}
 */
module.exports = {
  title: () => `prefetch sweep (${PREFETCH_VALUES.join(', ')})`,
  phases: ['e2e', 'backlog'],
  contenders(settings) {
    const ids = settings.only ?? SWEPT_IDS;
    const outside = ids.filter((id) => !SWEPT_IDS.includes(id));
    if (outside.length > 0) throw new Error(`--prefetch-sweep measures only ${SWEPT_IDS.join(', ')}; not ${outside.join(', ')}`);
    return selectContenders([...ids]);
  },
  plans: (runId, specs, settings) =>
    PREFETCH_VALUES.flatMap((prefetch) =>
      specs.map((spec) =>
        newPlan(runId, spec, { ...settings, prefetch }, { label: `${spec.label}, prefetch ${prefetch}`, variant: `p${prefetch}` }),
      ),
    ),
  report({ settings, environment, plans, failures, startedAt, durationMs }) {
    const tables = summariseSweep(plans);
    return {
      text: sweepConsoleReport(tables),
      file: path.join(__dirname, '..', '..', 'docs', 'benchmarks-prefetch.md'),
      markdown: sweepMarkdownReport({ settings, environment, plans, tables, failures, startedAt, durationMs }),
    };
  },
};
