'use strict';

const { fork } = require('node:child_process');
const path = require('node:path');

const WORKER = path.join(__dirname, '..', 'worker.js');
/** How much of a worker's output is kept to explain a failure. */
const OUTPUT_TAIL_CHARS = 2000;

/**
 * @typedef {{ ok: true, figures: Record<string, number> } | { ok: false, error: string }} PhaseOutcome
 *
 * @typedef {object} WorkerMessage what a worker sends: a request, a phase outcome or a fatal error
 * @property {'request' | 'phase' | 'fatal'} kind
 * @property {number} [id]
 * @property {string} [op]
 * @property {Record<string, unknown>} [args]
 * @property {string} [phase]
 * @property {boolean} [ok]
 * @property {Record<string, number>} [figures]
 * @property {string} [error]
 *
 * @typedef {object} WorkerOutcome
 * @property {Record<string, PhaseOutcome>} phases what the worker reported, by phase
 * @property {string | undefined} failure why the worker as a whole failed (crash, timeout, fatal error)
 */

/**
 * Runs one worker process to its end, answering its requests. Never rejects: a crash, a
 * fatal error or a timeout comes back as `failure`, with the tail of the worker's output.
 *
 * @param {object} options
 * @param {import('../worker').WorkerJob | Record<string, unknown>} options.job
 * @param {string} [options.script] the worker script to fork (bench/worker.js unless given)
 * @param {number} options.timeoutMs the worker is killed after this long
 * @param {(op: string, args: Record<string, unknown>) => Promise<unknown>} options.onRequest
 * @param {(phase: string, outcome: PhaseOutcome) => void} [options.onPhase]
 * @param {(child: import('node:child_process').ChildProcess | null) => void} [options.track] told the running child, for interrupts
 * @returns {Promise<WorkerOutcome>}
 */
function runWorker({ job, script = WORKER, timeoutMs, onRequest, onPhase, track }) {
  return new Promise((resolve) => {
    const child = fork(script, [JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    track?.(child);
    /** @type {Record<string, PhaseOutcome>} */
    const phases = {};
    let output = '';
    /** @type {string | undefined} */
    let fatal;
    let timedOut = false;
    const keep = (/** @type {Buffer} */ chunk) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    child.on('message', (/** @type {WorkerMessage} */ message) => {
      if (message?.kind === 'request') {
        onRequest(String(message.op), message.args ?? {}).then(
          (value) => child.connected && child.send({ kind: 'response', id: message.id, ok: true, value }),
          (err) => child.connected && child.send({ kind: 'response', id: message.id, ok: false, error: String(err?.message ?? err) }),
        );
      } else if (message?.kind === 'phase' && message.phase) {
        /** @type {PhaseOutcome} */
        const outcome = message.ok ? { ok: true, figures: message.figures ?? {} } : { ok: false, error: String(message.error) };
        phases[message.phase] = outcome;
        onPhase?.(message.phase, outcome);
      } else if (message?.kind === 'fatal') {
        fatal = message.error;
      }
    });

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      track?.(null);
      let failure;
      if (timedOut) failure = `worker timed out after ${Math.round(timeoutMs / 1000)} s`;
      else if (fatal) failure = fatal;
      else if (code !== 0) failure = `worker exited with ${signal ?? `code ${code}`}`;
      if (failure && output.trim()) failure += ` — last output: ${lastLines(output)}`;
      resolve({ phases, failure });
    });
  });
}

/**
 * @param {string} text
 * @returns {string}
 */
function lastLines(text) {
  return text.trim().split('\n').slice(-3).join(' | ').slice(-500);
}

module.exports = { runWorker };
