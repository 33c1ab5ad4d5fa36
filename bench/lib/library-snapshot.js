'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * A private copy of the built nestjs-event-bus for one benchmark run. Every worker loads the
 * library afresh, so without it a rebuild of `libs/event-bus/dist` during a run (by a watch,
 * a test run, another build) would silently mix library versions between runs. The copy sits
 * inside the repository so the library's own dependencies resolve from the root
 * `node_modules` exactly as they do for the package itself; it lives in a `dist` folder,
 * which git ignores.
 *
 * @param {string} runId
 * @returns {{ entry: string, remove: () => void }} `entry`: the copy's main file, for `require`
 */
function snapshotLibrary(runId) {
  const source = path.dirname(require.resolve('nestjs-event-bus'));
  const root = path.join(__dirname, '..', `.snapshot-${runId}`);
  const target = path.join(root, 'dist');
  fs.cpSync(source, target, { recursive: true });
  return {
    entry: path.join(target, path.basename(require.resolve('nestjs-event-bus'))),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

module.exports = { snapshotLibrary };
