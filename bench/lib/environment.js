'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Packages whose versions the report names. */
const PACKAGES = [
  'amqplib',
  'amqp-connection-manager',
  '@golevelup/nestjs-rabbitmq',
  '@nestjs/microservices',
  '@nestjs/core',
  'ioredis',
  'nestjs-event-bus',
];

/**
 * Version of an installed package, found from its entry point up to its package.json (some
 * packages do not export `./package.json`).
 *
 * @param {string} name
 * @returns {string}
 */
function packageVersion(name) {
  try {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (pkg.name === name) return String(pkg.version);
      }
      const parent = path.dirname(dir);
      if (parent === dir) return 'unknown';
      dir = parent;
    }
  } catch {
    return 'not installed';
  }
}

/**
 * @typedef {object} Environment
 * @property {number} cpus
 * @property {string} cpuModel
 * @property {string} memory
 * @property {string} os
 * @property {string} node
 * @property {string} rabbitmq
 * @property {string} redis
 * @property {Array<[string, string]>} packages
 * @property {string} loadBefore 1/5/15-minute load averages when the run started
 * @property {string} [loadAfter] the same when it ended
 * @property {string} [libraryRevision] commit nestjs-event-bus was built from
 */

/**
 * The machine's load averages: other work on a shared machine skews every figure, so the
 * report states how busy it was.
 *
 * @returns {string} e.g. "0.12 / 0.30 / 0.25"
 */
function loadAverages() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/**
 * What the figures were measured on.
 *
 * @param {{ rabbitmq: string, redis: string }} servers versions the servers announced
 * @returns {Environment}
 */
function describeEnvironment(servers) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() || 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    rabbitmq: servers.rabbitmq,
    redis: servers.redis,
    packages: PACKAGES.map((name) => [name, packageVersion(name)]),
    loadBefore: loadAverages(),
  };
}

module.exports = { describeEnvironment, loadAverages };
