'use strict';

const path = require('node:path');
const { runWorker } = require('./fork-worker');
const { withTimeout } = require('./clock');
const { commandWorker } = require('./worker-commands');
const { publisherNames } = require('./scaling-names');

const SCRIPT = path.join(__dirname, '..', 'scaling-worker.js');

/** Longest a worker may take to answer `close` before it is killed. */
const CLOSE_TIMEOUT_MS = 20_000;

/**
 * The processes of one scaling configuration in one run: `consumers` consumer processes on one
 * shared queue and `publishers` publishing processes, each a bench/scaling-worker.js started
 * through lib/fork-worker.js. The harness steps them with commands; a worker that crashes or
 * times out fails the command waiting on it, and `failure()` says why.
 */
class ScalingGroup {
  /**
   * Starts the processes (they open nothing until `open()`).
   *
   * @param {object} options
   * @param {import('./run-contender').Plan} options.plan its `settings` carry the scaling figures
   * @param {string | undefined} options.library the run's snapshot of nestjs-event-bus
   * @param {number} options.lifetimeMs every process is killed after this long
   * @param {(op: string, args: Record<string, unknown>) => Promise<unknown>} options.onRequest
   */
  constructor({ plan, library, lifetimeMs, onRequest }) {
    const settings = /** @type {import('./run-scaling-plan').ScalingSettings} */ (plan.settings);
    /** @type {Set<import('node:child_process').ChildProcess>} */
    this.children = new Set();
    /** @type {Array<Promise<import('./fork-worker').WorkerOutcome>>} */
    this.exits = [];
    /** @type {string[]} */
    this.failures = [];
    const start = (/** @type {'consumer' | 'publisher'} */ role, /** @type {number} */ index) => {
      const names = role === 'publisher' ? publisherNames(plan.names) : plan.names;
      const job = { role, index, spec: plan.spec, names, settings, library: plan.spec.needsBuild ? library : undefined };
      /** @type {import('./worker-commands').Commander | undefined} */
      let commander;
      const exit = runWorker({
        job,
        script: SCRIPT,
        timeoutMs: lifetimeMs,
        onRequest,
        track: (child) => {
          if (!child) return;
          this.children.add(child);
          child.once('exit', () => this.children.delete(child));
          commander = commandWorker(child);
        },
      }).then((outcome) => {
        if (outcome.failure) this.failures.push(`${role} ${index + 1}: ${outcome.failure}`);
        return outcome;
      });
      this.exits.push(exit);
      return /** @type {import('./worker-commands').Commander} */ (commander);
    };
    this.consumers = Array.from({ length: settings.consumers }, (_, i) => start('consumer', i));
    this.publishers = Array.from({ length: settings.publishers }, (_, i) => start('publisher', i));
  }

  /**
   * Opens the contender in every process: the consumers first (all at once), then the publishers.
   *
   * @param {number} timeoutMs
   * @returns {Promise<void>}
   */
  async open(timeoutMs) {
    await withTimeout(Promise.all(this.consumers.map((c) => c('open'))), timeoutMs, () => 'opening the consumers');
    await withTimeout(Promise.all(this.publishers.map((p) => p('open'))), timeoutMs, () => 'opening the publishers');
  }

  /**
   * Sends a command to every consumer and resolves with their answers, in order.
   *
   * @param {string} name
   * @param {Record<string, unknown>} [args]
   * @returns {Promise<any[]>}
   */
  toConsumers(name, args) {
    return Promise.all(this.consumers.map((c) => c(name, args)));
  }

  /**
   * Sends a command to every publisher with its own share (`offset` = its index, `stride` = how
   * many publishers there are) and resolves with their answers, in order.
   *
   * @param {string} name
   * @param {Record<string, unknown>} args
   * @returns {Promise<any[]>}
   */
  toPublishers(name, args) {
    const stride = this.publishers.length;
    return Promise.all(this.publishers.map((p, offset) => p(name, { ...args, offset, stride })));
  }

  /**
   * Why a worker failed, if one did (crash, timeout), with its last output.
   *
   * @returns {string | undefined}
   */
  failure() {
    return this.failures.length > 0 ? this.failures.join('; ') : undefined;
  }

  /**
   * Closes every contender, lets the processes exit and waits for them; a process that does not
   * answer in time is killed. Never rejects.
   *
   * @returns {Promise<void>}
   */
  async close() {
    const all = [...this.publishers, ...this.consumers];
    await withTimeout(Promise.allSettled(all.map((c) => c('close'))), CLOSE_TIMEOUT_MS, () => 'closing').catch(() => undefined);
    for (const child of this.children) if (child.connected) child.disconnect();
    await withTimeout(Promise.all(this.exits), CLOSE_TIMEOUT_MS, () => 'exiting').catch(() => this.kill());
    await Promise.all(this.exits);
  }

  /** Kills every process still running (Ctrl-C, or one that would not exit). */
  kill() {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

module.exports = { ScalingGroup };
