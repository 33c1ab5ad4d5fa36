'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/**
 * The commit the library was built from, and whether its sources had uncommitted changes,
 * e.g. "c527a55" or "c527a55 + uncommitted changes"; 'unknown' outside a git checkout.
 *
 * @returns {string}
 */
function libraryRevision() {
  const git = (/** @type {string[]} */ args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'libs/event-bus/src']).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}`;
}

module.exports = { libraryRevision };
