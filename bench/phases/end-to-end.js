'use strict';

const { now, sleep, withTimeout } = require('../lib/clock');
const { phaseTag, publishBurst, warmUp } = require('./context');

/**
 * Time given to acks and ledger writes that trail the last handler call, so the Redis
 * counters read afterwards include every command the phase caused.
 */
const SETTLE_MS = 500;

/**
 * End-to-end throughput: `e2eCount` events published (500 unconfirmed at a time) and
 * consumed by the same process; msg/s from the first publish until the last event reached
 * its handler. Also counts the Redis commands the phase caused, per event: on the server
 * (`INFO commandstats`, all clients) and as sent by this process's clients.
 *
 * @param {import('./context').PhaseContext} ctx
 */
async function measureEndToEnd(ctx) {
  const count = ctx.settings.e2eCount;
  await warmUp(ctx, 'events', 'e2e');
  const serverBefore = await readServerCalls(ctx);
  const sentBefore = ctx.redisCommandsSent();

  const expectation = ctx.arrivals.expect(phaseTag(ctx, 'e2e'), count);
  const start = now();
  await withTimeout(
    Promise.all([publishBurst(ctx, 'events', phaseTag(ctx, 'e2e'), count), expectation.done]),
    ctx.settings.phaseTimeoutMs,
    () => `${expectation.handled()}/${count} handled`,
  );
  const seconds = (expectation.lastAt() - start) / 1000;

  await sleep(SETTLE_MS);
  const serverAfter = await readServerCalls(ctx);
  const sentAfter = ctx.redisCommandsSent();
  return {
    msgPerSec: count / seconds,
    seconds,
    count,
    duplicates: expectation.duplicates(),
    redisServerCallsPerEvent: (serverAfter - serverBefore) / count,
    redisCommandsSentPerEvent: (sentAfter - sentBefore) / count,
  };
}

/**
 * The server's command counter; NaN if Redis cannot be asked (the throughput still counts).
 *
 * @param {import('./context').PhaseContext} ctx
 * @returns {Promise<number>}
 */
async function readServerCalls(ctx) {
  try {
    return Number(await ctx.request('redisCalls'));
  } catch {
    return NaN;
  }
}

module.exports = { measureEndToEnd };
