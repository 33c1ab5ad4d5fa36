'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/**
 * Builds nestjs-event-bus so the benchmark measures the current source: `npm run -s build:lib`
 * when the repository has that script (only the library is needed), else `npm run -s build`.
 *
 * @returns {{ ok: true } | { ok: false, error: string }}
 */
function buildLibrary() {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  const script = scripts['build:lib'] ? 'build:lib' : 'build';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', script], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || String(result.error ?? `exit code ${result.status}`);
  return { ok: false, error: `npm run ${script} failed: ${output.split('\n').slice(0, 5).join(' | ')}` };
}

module.exports = { buildLibrary };
