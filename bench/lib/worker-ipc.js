'use strict';

/**
 * The worker's side of the conversation with the harness over the fork IPC channel:
 * requests the harness answers (purge a queue, read Redis' command counters) and reports.
 */

let nextId = 0;
/** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
const waiting = new Map();

process.on('message', (/** @type {{ kind?: string, id?: number, ok?: boolean, value?: unknown, error?: string }} */ message) => {
  if (message?.kind !== 'response' || typeof message.id !== 'number') return;
  const entry = waiting.get(message.id);
  waiting.delete(message.id);
  if (!entry) return;
  if (message.ok) entry.resolve(message.value);
  else entry.reject(new Error(message.error ?? 'harness request failed'));
});

/**
 * Asks the harness to do something and resolves with its answer.
 *
 * @param {'purge' | 'redisCalls'} op
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<unknown>}
 */
function request(op, args = {}) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    send({ kind: 'request', id, op, args }).catch(reject);
  });
}

/**
 * Sends a message to the harness; resolves once it is handed to the channel.
 *
 * @param {Record<string, unknown>} message
 * @returns {Promise<void>}
 */
function send(message) {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started by the harness (no IPC channel)'));
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

module.exports = { request, send };
