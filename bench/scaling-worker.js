'use strict';

/**
 * One process of a scaling configuration (`npm run bench -- --scaling`), started by the
 * harness with a JSON job as its only argument and then stepped by its commands
 * (lib/worker-commands.js). A `consumer` opens the contender as the main worker does and
 * records what its handler receives; several consumers share one queue, so each sees only
 * part of a phase's events and the harness adds them up. A `publisher` opens the contender
 * with names that keep it off that queue (lib/scaling-names.js) and publishes what it is told.
 * The process exits when the harness disconnects.
 */

/**
 * @typedef {object} ScalingJob
 * @property {'consumer' | 'publisher'} role
 * @property {number} index 0-based among the processes of its role
 * @property {import('./lib/contenders').ContenderSpec} spec
 * @property {import('./lib/resource-names').ResourceNames} names as this process opens the contender with
 * @property {import('./lib/settings').BenchSettings} settings
 * @property {string} [library] file to load nestjs-event-bus from
 */
/** @type {ScalingJob} */
const job = JSON.parse(process.argv[2] ?? '{}');

const { Arrivals } = require('./lib/arrivals');
const { now, withTimeout } = require('./lib/clock');
const { runOpenLoop } = require('./lib/open-loop');
const { publishWindow } = require('./lib/publish-window');
const { sizedPayload } = require('./lib/sized-payload');
const { PUBLISH_TARGET } = require('./lib/scaling-names');
const { send } = require('./lib/worker-ipc');
const { serveCommands } = require('./lib/worker-commands');
const { openContender } = require('./contenders/index');

/** Longest a contender may take to close before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

const arrivals = new Arrivals();
/** @type {import('./contenders/index').OpenedContender | undefined} */
let contender;

/** @returns {import('./contenders/index').OpenedContender} */
function opened() {
  if (!contender) throw new Error('the contender is not open');
  return contender;
}

/**
 * The events a publisher sends in a phase: every `stride`-th sequence number from `offset`,
 * so several publishers split one phase without overlapping.
 *
 * @param {{ count: number, offset: number, stride: number }} share
 * @returns {number} how many of them this publisher sends
 */
function shareSize({ count, offset, stride }) {
  return Math.max(0, Math.ceil((count - offset) / stride));
}

const common = {
  async open() {
    contender = await openContender(job.spec.module, {
      role: 'main',
      names: job.names,
      settings: job.settings,
      options: job.spec.options ?? {},
      onPayload: (payload) => arrivals.onPayload(payload),
      library: job.library,
    });
    return { pid: process.pid };
  },
  async close() {
    await withTimeout(opened().close(), CLOSE_TIMEOUT_MS, () => 'closing').catch(() => undefined);
    contender = undefined;
    return {};
  },
};

const consumer = {
  /** @param {{ tag: string, count: number, latencies: boolean }} args */
  expect({ tag, count, latencies }) {
    arrivals.expect(tag, count, { latencies });
    return {};
  },
  status() {
    return { handled: arrivals.count };
  },
  /** What arrived here since `expect`: the harness merges the consumers' reports. */
  collect() {
    const latencies = arrivals.latencies ? Array.from(arrivals.latencies).filter(Number.isFinite) : [];
    return {
      handled: arrivals.count,
      duplicates: arrivals.dups,
      firstAt: arrivals.first,
      lastAt: arrivals.last,
      seen: Buffer.from(arrivals.seen.buffer, arrivals.seen.byteOffset, arrivals.seen.byteLength).toString('base64'),
      latencies: latencies.map((ms) => Math.round(ms * 1000) / 1000),
    };
  },
};

const publisher = {
  /**
   * Publishes this publisher's share of a phase, `inFlight` awaiting their confirm at a time.
   *
   * @param {{ tag: string, count: number, offset: number, stride: number, bytes: number, inFlight: number }} args
   */
  async burst(args) {
    const make = sizedPayload(args.bytes);
    const bus = opened();
    const startedAt = now();
    await publishWindow(shareSize(args), args.inFlight, (k) =>
      bus.publish(PUBLISH_TARGET, make(args.tag, args.offset + k * args.stride, now())),
    );
    return { startedAt, endedAt: now() };
  },
  /**
   * Publishes open-loop at `rate` msg/s for `durationMs`, each event stamped with its due time.
   *
   * @param {{ tag: string, rate: number, durationMs: number, offset: number, stride: number, bytes: number }} args
   */
  async openLoop(args) {
    const make = sizedPayload(args.bytes);
    const bus = opened();
    const loop = await runOpenLoop({
      rate: args.rate,
      durationMs: args.durationMs,
      send: (k, dueAt) => bus.publish(PUBLISH_TARGET, make(args.tag, args.offset + k * args.stride, dueAt)),
    });
    if (loop.failed > 0) throw new Error(`${loop.failed} of ${loop.sent} publishes failed`);
    return loop;
  },
};

serveCommands({ ...common, ...(job.role === 'publisher' ? publisher : consumer) }, send);
// The harness disconnects once it has what it needs (or has gone): nothing is left to do.
process.on('disconnect', () => process.exit(0));
