const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/**
 * Gives the run a directory where each scenario drops its result (test/support/chaos-report.ts).
 * Test files run in workers started after this, so they inherit the variable.
 */
module.exports = async function chaosGlobalSetup() {
  process.env.CHAOS_RESULTS_DIR = mkdtempSync(join(tmpdir(), 'evbus-chaos-results-'));
  process.env.CHAOS_RUN_STARTED_AT = new Date().toISOString();
};
