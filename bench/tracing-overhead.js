'use strict';
/**
 * Cost of tracing on the publish and end-to-end paths of nestjs-event-bus: the same library run
 * with no OpenTelemetry SDK registered, and with one registered (always-on sampling, spans to a
 * no-op exporter), optionally against another build of the library ("before").
 *
 *   node bench/tracing-overhead.js [--library <dir of a built library>] [--sdk] [--count 5000]
 *
 * Prints one JSON line: { sdk, publishPerSec, endToEndPerSec }. Uses queues and exchanges named
 * bench.tracing.<random>, deleted at the end.
 */
require('reflect-metadata');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const libraryDir = path.resolve(value('--library', 'libs/event-bus/dist'));
const count = Number(value('--count', '5000'));
const WINDOW = 500;

async function main() {
  if (flag('--sdk')) {
    const api = require('@opentelemetry/api');
    const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
    const { W3CTraceContextPropagator } = require('@opentelemetry/core');
    const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
    api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }
  const { NestFactory } = require('@nestjs/core');
  const { Module } = require('@nestjs/common');
  const { EventBusModule, EventBus } = require(libraryDir);
  const base = `bench.tracing.${randomBytes(4).toString('hex')}`;
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
  Module({ imports: [EventBusModule.forRoot(options)] })(BenchModule);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
  const bus = app.get(EventBus);
  const data = { userId: 'u-1', email: 'someone@example.com', role: 'STUDENT', note: 'x'.repeat(160) };

  const publishAll = async (type) => {
    const started = process.hrtime.bigint();
    const inFlight = new Set();
    for (let i = 0; i < count; i++) {
      const p = bus.publish({ type, data }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };

  const publishSeconds = await publishAll('BENCH_PUBLISH');
  let handled = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const sub = await bus.subscribe('BENCH_E2E', () => {
    if (++handled === count) done();
  });
  const started = process.hrtime.bigint();
  await publishAll('BENCH_E2E');
  await finished;
  const e2eSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  await sub.unsubscribe();
  await app.close();
  const amqp = require('amqplib');
  const conn = await amqp.connect(options.rabbitmq.url);
  const ch = await conn.createChannel();
  for (const q of [sub.queue, `${sub.queue}.dlq`]) await ch.deleteQueue(q).catch(() => undefined);
  for (const e of [options.rabbitmq.exchange, options.rabbitmq.deadLetterExchange]) await ch.deleteExchange(e).catch(() => undefined);
  await conn.close();
  const Redis = require('ioredis');
  const redis = new Redis(options.redis.url);
  const keys = await redis.keys(`${options.redis.keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  console.log(
    JSON.stringify({
      library: path.relative(process.cwd(), libraryDir),
      sdk: flag('--sdk'),
      count,
      publishPerSec: Math.round(count / publishSeconds),
      endToEndPerSec: Math.round(count / e2eSeconds),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
