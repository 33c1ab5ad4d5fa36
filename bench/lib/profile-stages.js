'use strict';

/**
 * Sorts the samples of a V8 CPU profile into the stages an event passes through, so a profile
 * reads as "microseconds per event spent encoding, tracking confirms, decoding, ...".
 *
 * Each sample is charged to the first frame, walking from the running function towards the
 * root, that a rule below recognises: JSON.stringify called by the encoder counts as encoding,
 * amqplib's framing called by the confirm tracker counts as amqplib, a promise hook counts as
 * AsyncLocalStorage wherever it fired. Samples no rule recognises are "other".
 */

/** @typedef {{ functionName: string, url: string }} CallFrame */
/** @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode */
/** @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} CpuProfile */

/** Stages in table order, each with the test that recognises one of its frames. */
const STAGES = /** @type {const} */ ([
  ['garbage collection', (/** @type {CallFrame} */ f) => f.functionName === '(garbage collector)'],
  ['AsyncLocalStorage (promise hooks)', (f) => /node:internal\/async_hooks|node:async_hooks|async_local_storage/.test(f.url)],
  [
    'socket writes and reads',
    (f) =>
      /^(writev|writeBuffer|writeUtf8String|onStreamRead|onwrite)$/.test(f.functionName) || /node:net\b|stream_base_commons/.test(f.url),
  ],
  ['amqplib framing', (f) => /node_modules\/amqplib\//.test(f.url)],
  [
    'idempotency ledger (Redis client)',
    (f) => /node_modules\/(ioredis|redis-parser|@ioredis)\//.test(f.url) || /dist\/(idempotency|batching|redis)\//.test(f.url),
  ],
  [
    'encode (CloudEvent JSON, properties)',
    (f) => /dist\/wire\/(cloud-event\.encoder|prototype-keys)|dist\/publishing\/outgoing-event/.test(f.url),
  ],
  ['envelope and publish checks', (f) => /dist\/publishing\//.test(f.url)],
  ['confirm tracking', (f) => /dist\/amqp\/confirm-publisher/.test(f.url)],
  ['socket write coalescing', (f) => /dist\/amqp\/socket-write-coalescer/.test(f.url)],
  ['decode (JSON parse, CloudEvent)', (f) => /dist\/wire\//.test(f.url) || /node_modules\/secure-json-parse\//.test(f.url)],
  ['ack', (f) => /dist\/consuming\/ack-coalescer/.test(f.url)],
  [
    'metrics and tracing hooks',
    (f) => /dist\/(telemetry|monitoring|stats)\//.test(f.url) || /node_modules\/(prom-client|@opentelemetry)\//.test(f.url),
  ],
  ['interceptor chain', (f) => /dist\/consuming\/(interceptors\/|compose-interceptors|consume-pipeline)/.test(f.url)],
  ['consumer dispatch', (f) => /dist\/consuming\//.test(f.url)],
  ['benchmark harness (the contender itself)', (f) => /bench\/(contenders|lib|profile)/.test(f.url)],
]);

const OTHER = 'other (Node.js, V8, Nest)';

/** Stage names in table order, "other" last. */
const STAGE_NAMES = [...STAGES.map(([name]) => name), OTHER];

/**
 * Microseconds of CPU per stage in a profile (idle time and the profiler itself left out).
 *
 * @param {CpuProfile} profile
 * @returns {Map<string, number>}
 */
function stageTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** @type {Map<number, string | null>} */
  const stageOfNode = new Map();
  const stageOf = (/** @type {number} */ id) => {
    if (stageOfNode.has(id)) return stageOfNode.get(id);
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(root)') {
      stageOfNode.set(id, null);
      return null;
    }
    /** @type {string | undefined} */
    let found;
    for (let cur = id; cur !== undefined && !found; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      found = STAGES.find(([, test]) => test(f))?.[0];
    }
    stageOfNode.set(id, found ?? OTHER);
    return found ?? OTHER;
  };
  /** @type {Map<string, number>} */
  const times = new Map(STAGE_NAMES.map((name) => [name, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    const stage = stageOf(profile.samples[i]);
    if (stage) times.set(stage, (times.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return times;
}

/**
 * A script URL as the report prints it: a package path for dependencies, `nestjs-event-bus/...`
 * for the built library and a repository-relative path for the benchmark's own files, so no
 * report names the directory it was run from.
 * @param {string} url
 * @returns {string}
 */
function readableLocation(url) {
  if (/node_modules\//.test(url)) return url.replace(/.*node_modules\//, '');
  if (/\/dist\//.test(url)) return url.replace(/.*\/dist\//, 'nestjs-event-bus/');
  const inBench = url.match(/\/(bench\/.*)$/);
  if (inBench) return inBench[1];
  return url.replace(/^file:\/\//, '');
}

/**
 * The heaviest functions of a profile by self time (idle left out), for a closer look.
 *
 * @param {CpuProfile} profile
 * @param {number} top
 * @returns {{ name: string, micros: number }[]}
 */
function hottestFunctions(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<string, number>} */
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i]).callFrame;
    if (f.functionName === '(idle)') continue;
    const where = readableLocation(f.url);
    const name = `${f.functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => ({ name, micros }));
}

module.exports = { stageTimes, hottestFunctions, STAGE_NAMES };
