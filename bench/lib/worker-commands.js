'use strict';

/**
 * Commands from the harness to a worker, the reverse of lib/worker-ipc.js (where the worker
 * asks the harness). A scaling configuration runs several workers at once and steps them
 * together (open, expect these events, publish them, report what arrived, close), so the
 * harness has to tell each when to do what and wait for its answer. Both sides use the fork
 * IPC channel: `{ kind: 'command', id, name, args }` one way, `{ kind: 'reply', id, ok, value | error }`
 * the other; lib/fork-worker.js ignores both kinds.
 */

/**
 * @typedef {(name: string, args?: Record<string, unknown>) => Promise<any>} Commander
 *   sends a command; resolves with the worker's answer, rejects with its error or when it exits
 */

/**
 * Harness side: a function that sends commands to `child` and resolves with their replies.
 *
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Commander}
 */
function commandWorker(child) {
  let nextId = 0;
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void, name: string }>} */
  const waiting = new Map();
  child.on('message', (/** @type {{ kind?: string, id?: number, ok?: boolean, value?: unknown, error?: string }} */ message) => {
    if (message?.kind !== 'reply' || typeof message.id !== 'number') return;
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (!entry) return;
    if (message.ok) entry.resolve(message.value);
    else entry.reject(new Error(message.error ?? `${entry.name} failed`));
  });
  child.on('exit', (code, signal) => {
    for (const entry of waiting.values()) entry.reject(new Error(`worker exited (${signal ?? `code ${code}`}) during ${entry.name}`));
    waiting.clear();
  });
  return (name, args = {}) =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`worker gone before ${name}`));
      const id = ++nextId;
      waiting.set(id, { resolve, reject, name });
      child.send({ kind: 'command', id, name, args }, (err) => {
        if (!err) return;
        waiting.delete(id);
        reject(err);
      });
    });
}

/**
 * Worker side: answers the harness's commands with `handlers[name](args)`; an unknown command
 * or a handler's error goes back as the reply's error.
 *
 * @param {Record<string, (args: any) => unknown>} handlers
 * @param {(message: Record<string, unknown>) => Promise<void>} send lib/worker-ipc.js's `send`
 */
function serveCommands(handlers, send) {
  process.on('message', (/** @type {{ kind?: string, id?: number, name?: string, args?: Record<string, unknown> }} */ message) => {
    if (message?.kind !== 'command' || typeof message.id !== 'number') return;
    const { id, name = '', args = {} } = message;
    const handler = handlers[name];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${name}`);
        return handler(args);
      })
      .then(
        (value) => send({ kind: 'reply', id, ok: true, value }),
        (err) => send({ kind: 'reply', id, ok: false, error: String(err?.message ?? err).split('\n')[0] }),
      )
      .catch(() => undefined);
  });
}

module.exports = { commandWorker, serveCommands };
