'use strict';

const { benchPayload } = require('./payload');

/**
 * The benchmark's event (lib/payload.js), padded to another size: same fields, a longer `note`,
 * so a 4 KB or 64 KB event is decoded and handled like the 300-byte one, only bigger.
 *
 * @param {number} bytes target size of the JSON-encoded event data
 * @returns {(tag: string, seq: number, sentAt: number) => import('./payload').BenchPayload}
 */
function sizedPayload(bytes) {
  const sample = benchPayload('r1-e2e-64KB-warmup', 12345, 1764287404512.123);
  const baseBytes = Buffer.byteLength(JSON.stringify(sample)) - Buffer.byteLength(sample.note);
  // Built once per size: building an event copies a reference, never encodes or allocates padding.
  const note = 'x'.repeat(Math.max(0, bytes - baseBytes));
  return (tag, seq, sentAt) => ({ ...benchPayload(tag, seq, sentAt), note });
}

module.exports = { sizedPayload };
