'use strict';
/**
 * The PostgreSQL outbox and inbox against what they replace, in one run on one machine:
 *   - publish: `EventBus.publish()` (confirmed, from memory) vs `Outbox.add()` in a transaction of
 *     its own per event (BEGIN, add, COMMIT; the relay sends after the commit), as committed events
 *     per second and as events handled per second end to end;
 *   - latency at a steady rate: publish (or commit) -> handler start, p50 and p99, for both;
 *   - consume: a handler with the Redis ledger (the default) vs `inbox: true` whose handler writes one
 *     row in the inbox transaction, draining the same backlog.
 *
 *   node bench/outbox-inbox.js [--count 5000] [--rate 500] [--concurrency 10]
 *
 * Needs a built library (`npm run build:lib`), RabbitMQ, Redis and PostgreSQL (DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test). Prints a Markdown table and one JSON line.
 * Everything it creates is named bench_oi_<random> / bench.oi.<random> and removed at the end.
 */
require('reflect-metadata');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const args = process.argv.slice(2);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const count = Number(value('--count', '5000'));
const rate = Number(value('--rate', '500'));
const concurrency = Number(value('--concurrency', '10'));
const latencyCount = Math.min(count, rate * 4);
const WINDOW = 500;

const library = path.resolve('libs/event-bus/dist');
const { EventBusModule, EventBus } = require(library);
const { EventBusPostgresModule, Outbox, inboxTransaction } = require(path.join(library, 'postgres'));
const { NestFactory } = require('@nestjs/core');
const { Module } = require('@nestjs/common');
const { Pool } = require('pg');

const id = randomBytes(4).toString('hex');
const schema = `bench_oi_${id}`;
const base = `bench.oi.${id}`;
const data = { userId: 'u-1', email: 'someone@example.com', role: 'STUDENT', note: 'x'.repeat(160) };

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `task(i)` for i in [0, n) with at most `limit` at once; resolves with the seconds it took. */
async function runPool(n, limit, task) {
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A promise that resolves once `expected` calls of the returned `tick` have happened. */
function counter(expected) {
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  return { finished, tick: () => ++seen === expected && done() };
}

async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: concurrency + 4 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.effects (event_id text PRIMARY KEY)`);
  const options = {
    serviceName: base,
    rabbitmq: {
      url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      exchange: `${base}.events`,
      deadLetterExchange: `${base}.dlx`,
    },
    redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `bench:${base}:` },
  };
  class BenchModule {}
  Module({
    imports: [
      EventBusModule.forRoot(options),
      EventBusPostgresModule.forRoot({ pool, schema, ensureSchema: true, relay: { pollInterval: 1000 } }),
    ],
  })(BenchModule);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
  const bus = app.get(EventBus);
  const outbox = app.get(Outbox);
  const queues = [];
  const results = {};

  const addInTransaction = async (type, payload) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await outbox.add(client, { type, data: payload });
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  const direct = (type, payload) => bus.publish({ type, data: payload });

  // Throughput: committed (or confirmed) per second, and handled per second end to end.
  for (const [mode, send, limit] of [
    ['direct publish', direct, WINDOW],
    ['outbox', addInTransaction, concurrency],
  ]) {
    const type = `BENCH_${mode === 'outbox' ? 'OUTBOX' : 'DIRECT'}_E2E`;
    const handled = counter(count);
    const sub = await bus.subscribe(type, () => handled.tick(), { idempotent: false });
    queues.push(sub.queue);
    const started = process.hrtime.bigint();
    const sendSeconds = await runPool(count, limit, () => send(type, data));
    await handled.finished;
    const e2eSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await sub.unsubscribe();
    results[mode] = { sendPerSec: Math.round(count / sendSeconds), endToEndPerSec: Math.round(count / e2eSeconds) };
  }

  // Latency at a steady rate: from just before publish()/BEGIN to the handler's start.
  for (const [mode, send] of [
    ['direct publish', direct],
    ['outbox', addInTransaction],
  ]) {
    const type = `BENCH_${mode === 'outbox' ? 'OUTBOX' : 'DIRECT'}_LATENCY`;
    const latencies = [];
    const handled = counter(latencyCount);
    const sub = await bus.subscribe(
      type,
      (event) => {
        latencies.push(performance.now() - event.data.sentAt);
        handled.tick();
      },
      { idempotent: false },
    );
    queues.push(sub.queue);
    const pending = [];
    const started = performance.now();
    for (let i = 0; i < latencyCount; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(send(type, { ...data, sentAt: performance.now() }));
    }
    await Promise.all(pending);
    await handled.finished;
    await sub.unsubscribe();
    latencies.sort((a, b) => a - b);
    Object.assign(results[mode], { p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) });
  }

  // Consume: drain the same backlog with the Redis ledger, then with the inbox (one row written per event).
  for (const [mode, subscribeOptions, handler] of [
    ['Redis ledger', {}, () => undefined],
    [
      'inbox',
      { inbox: true },
      (event, ctx) => inboxTransaction(ctx).query(`INSERT INTO ${schema}.effects (event_id) VALUES ($1)`, [event.id]),
    ],
  ]) {
    const type = `BENCH_${mode === 'inbox' ? 'INBOX' : 'LEDGER'}`;
    const handled = counter(count);
    let sub = await bus.subscribe(type, () => undefined, subscribeOptions);
    await sub.unsubscribe(); // the queue exists and keeps the backlog
    queues.push(sub.queue);
    await runPool(count, WINDOW, () => bus.publish({ type, data }));
    const started = process.hrtime.bigint();
    sub = await bus.subscribe(
      type,
      async (event, ctx) => {
        await handler(event, ctx);
        handled.tick();
      },
      subscribeOptions,
    );
    await handled.finished;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await sub.unsubscribe();
    results[mode] = { drainPerSec: Math.round(count / seconds) };
  }

  await app.close();
  await cleanup(options, queues, pool);

  const d = results['direct publish'];
  const o = results.outbox;
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(`| | direct publish | outbox | outbox / direct |`);
  console.log(`|---|---|---|---|`);
  console.log(`| sent or committed, msg/s | ${d.sendPerSec} | ${o.sendPerSec} | ${ratio(o.sendPerSec, d.sendPerSec)} |`);
  console.log(`| end to end, msg/s | ${d.endToEndPerSec} | ${o.endToEndPerSec} | ${ratio(o.endToEndPerSec, d.endToEndPerSec)} |`);
  console.log(`| latency p50 at ${rate}/s, ms | ${d.p50Ms} | ${o.p50Ms} | ${ratio(o.p50Ms, d.p50Ms)} |`);
  console.log(`| latency p99 at ${rate}/s, ms | ${d.p99Ms} | ${o.p99Ms} | ${ratio(o.p99Ms, d.p99Ms)} |`);
  const l = results['Redis ledger'].drainPerSec;
  const i = results.inbox.drainPerSec;
  console.log(`\n| | Redis ledger | inbox | inbox / ledger |\n|---|---|---|---|\n| drain, msg/s | ${l} | ${i} | ${ratio(i, l)} |`);
  console.log(JSON.stringify({ count, rate, concurrency, results }));
}

async function cleanup(options, queues, pool) {
  const amqp = require('amqplib');
  const conn = await amqp.connect(options.rabbitmq.url);
  const ch = await conn.createChannel();
  for (const q of queues.flatMap((q) => [q, `${q}.dlq`])) await ch.deleteQueue(q).catch(() => undefined);
  for (const e of [options.rabbitmq.exchange, options.rabbitmq.deadLetterExchange]) await ch.deleteExchange(e).catch(() => undefined);
  await conn.close();
  const Redis = require('ioredis');
  const redis = new Redis(options.redis.url);
  const keys = await redis.keys(`${options.redis.keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
