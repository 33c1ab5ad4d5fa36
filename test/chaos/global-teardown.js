const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { machineInfo } = require('./machine-info');
const { mergeRecords, recordsFromPage, renderReliabilityReport } = require('./reliability-report');

const PAGE = join(__dirname, '..', '..', 'docs', 'reliability.md');

/**
 * Collects the records the scenarios wrote during the run and rewrites docs/reliability.md
 * with them, keeping the rows of scenarios this run did not include.
 */
module.exports = async function chaosGlobalTeardown() {
  const dir = process.env.CHAOS_RESULTS_DIR;
  if (!dir || !existsSync(dir)) return;
  const fresh = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')));
  rmSync(dir, { recursive: true, force: true });
  if (fresh.length === 0) return;
  const previous = existsSync(PAGE) ? recordsFromPage(readFileSync(PAGE, 'utf8')) : [];
  writeFileSync(PAGE, renderReliabilityReport(mergeRecords(previous, fresh), machineInfo()));
  process.stdout.write(`\nReliability report: ${fresh.length} result(s) written to docs/reliability.md\n`);
};
