'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

/**
 * Builds nestjs-event-bus (`npm run -s build`) so the benchmark measures the current source.
 *
 * @returns {{ ok: true } | { ok: false, error: string }}
 */
function buildLibrary() {
  const root = path.join(__dirname, '..', '..');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || String(result.error ?? `exit code ${result.status}`);
  return { ok: false, error: `npm run build failed: ${output.split('\n').slice(0, 5).join(' | ')}` };
}

module.exports = { buildLibrary };
