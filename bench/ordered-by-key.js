'use strict';
/**
 * Ordered consumption, one queue against partitions by key, in one run on one machine:
 *   - `ordered: true`: one single-active-consumer queue, one message at a time;
 *   - `ordered: 'byKey'` with `--partitions` (default 8) partition queues, one message at a time each;
 * each with 1 and with 3 instances of the consuming service (separate Nest applications, each with
 * its own connection, in this process). The handler does `--work` ms (default 2) of asynchronous
 * work, as an I/O-bound handler would: with no work at all the comparison would only measure the
 * broker. Events carry `--keys` (default 64) keys, each key's events published in sequence; the
 * figure is events handled per second from the first publish to the last handler, the median of
 * `--runs` (default 3) runs. Each run also checks that every key was handled in publish order.
 *
 *   node bench/ordered-by-key.js [--count 3000] [--work 2] [--partitions 8] [--keys 64] [--runs 3]
 *
 * Needs a built library (`npm run build:lib`; BENCH_LIBRARY names another build) and RabbitMQ
 * with the rabbitmq_consistent_hash_exchange plugin; no Redis (no ledger, so only ordering is
 * measured). Prints a Markdown table and one JSON line; writes nothing else. Everything it
 * creates is named bench.obk.<random>... and removed at the end.
 */
require('reflect-metadata');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const amqp = require('amqplib');
const { median, ratio } = require('./lib/stats');

const args = process.argv.slice(2);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const count = Number(value('--count', '3000'));
const workMs = Number(value('--work', '2'));
const partitions = Number(value('--partitions', '8'));
const keyCount = Number(value('--keys', '64'));
const runs = Number(value('--runs', '3'));
/** Two rebalancing passes (every 2 s) and a margin: long enough for late instances to get their share. */
const SETTLE_MS = 5_000;
const TYPE = 'BENCH_ORDERED';

const library = path.resolve(process.env.BENCH_LIBRARY ?? 'libs/event-bus/dist');
const { EventBusModule, EventBus } = require(library);
const { NestFactory } = require('@nestjs/core');
const { Module } = require('@nestjs/common');

const url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const base = `bench.obk.${randomBytes(4).toString('hex')}`;
const exchange = `${base}.events`;
const deadLetterExchange = `${base}.dlx`;

/** Starts one instance of the consuming service. */
async function startInstance(serviceName) {
  class BenchModule {}
  Module({ imports: [EventBusModule.forRoot({ serviceName, rabbitmq: { url, exchange, deadLetterExchange } })] })(BenchModule);
  return NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
}

/** Queues and exchanges one run leaves on the broker. */
function entitiesOf(queue) {
  const indexes = Array.from({ length: partitions }, (_, i) => i);
  return {
    queues: [queue, `${queue}.dlq`, `${queue}.members`, ...indexes.flatMap((i) => [`${queue}.p${i}`, `${queue}.p${i}.owner`])],
    exchanges: [`${queue}.by-key`, `${queue}.unkeyed`],
  };
}

async function removeEntities(connection, { queues, exchanges }) {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  for (const q of queues) await channel.deleteQueue(q).catch(() => undefined);
  for (const e of exchanges) await channel.deleteExchange(e).catch(() => undefined);
  await channel.close().catch(() => undefined);
}

/** One run: `instances` applications consume `count` events; resolves with msg/s and order violations. */
async function runOnce(ordered, instances, run, connection) {
  const serviceName = `${base}.${ordered === true ? 'one' : 'bykey'}.${instances}.${run}`;
  const apps = await Promise.all(Array.from({ length: instances }, () => startInstance(serviceName)));
  const lastStep = new Map();
  let handled = 0;
  let outOfOrder = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const options = ordered === true ? { ordered: true, idempotent: false } : { ordered: 'byKey', partitions, idempotent: false };
  let queue;
  for (const app of apps) {
    const sub = await app.get(EventBus).subscribe(
      TYPE,
      async (event) => {
        await sleep(workMs);
        const { key, step } = event.data;
        if ((lastStep.get(key) ?? -1) !== step - 1) outOfOrder++;
        lastStep.set(key, step);
        if (++handled === count) done();
      },
      options,
    );
    queue = sub.queue;
  }
  if (ordered !== true && instances > 1) await sleep(SETTLE_MS);

  const bus = apps[0].get(EventBus);
  const perKey = Math.ceil(count / keyCount);
  const started = process.hrtime.bigint();
  // Each key's events in sequence (a publish confirmed before the next), the keys side by side.
  await Promise.all(
    Array.from({ length: keyCount }, async (_, k) => {
      for (let step = 0; step < perKey && step * keyCount + k < count; step++) {
        await bus.publish({ type: TYPE, key: `k-${k}`, data: { key: `k-${k}`, step } });
      }
    }),
  );
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(apps.map((app) => app.close()));
  await removeEntities(connection, entitiesOf(queue));
  return { perSec: Math.round(count / seconds), outOfOrder };
}

async function main() {
  const connection = await amqp.connect(url);
  const scenarios = [
    ['ordered: true', true, 1],
    ['ordered: true', true, 3],
    [`byKey, ${partitions} partitions`, 'byKey', 1],
    [`byKey, ${partitions} partitions`, 'byKey', 3],
  ];
  const results = {};
  try {
    for (const [label, ordered, instances] of scenarios) {
      const samples = [];
      let outOfOrder = 0;
      for (let run = 0; run < runs; run++) {
        const result = await runOnce(ordered, instances, run, connection);
        samples.push(result.perSec);
        outOfOrder += result.outOfOrder;
      }
      results[`${label} x${instances}`] = { label, instances, perSec: median(samples), samples, outOfOrder };
    }
  } finally {
    await removeEntities(connection, { queues: [], exchanges: [exchange, deadLetterExchange] });
    await connection.close().catch(() => undefined);
  }

  const baseline = results['ordered: true x1'].perSec;
  console.log(`\n${count} events, ${keyCount} keys, handler ${workMs} ms, median of ${runs}\n`);
  console.log('| mode | instances | handled, msg/s | vs ordered: true x1 | out of order |');
  console.log('|---|---|---|---|---|');
  for (const r of Object.values(results)) {
    const x = ratio(r.perSec, baseline);
    console.log(`| ${r.label} | ${r.instances} | ${r.perSec} | ${x === undefined ? '-' : `${x.toFixed(1)}x`} | ${r.outOfOrder} |`);
  }
  console.log(JSON.stringify({ count, workMs, partitions, keys: keyCount, runs, results }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
