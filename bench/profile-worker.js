'use strict';

/**
 * One side of a profiled run (bench/profile.js), in its own process: role `consume` subscribes
 * and profiles its handling of `count` events after `warmup` ones; role `publish` publishes
 * `warmup` events, then profiles the publishing of `count` more (500 awaiting their confirm at a
 * time). The profile is taken with the inspector in-process, so start-up is never in it, and
 * reported to the parent as time per stage (bench/lib/profile-stages.js).
 */

const inspector = require('node:inspector');
const { cloudEventMessage } = require('./lib/cloud-event-wire');
const { benchPayload } = require('./lib/payload');
const { stageTimes, hottestFunctions } = require('./lib/profile-stages');

/**
 * @typedef {object} ProfileJob
 * @property {'publish' | 'consume'} role
 * @property {'event-bus' | 'raw'} kind
 * @property {{ idempotent?: boolean, messageProperties?: 'mirrored' | 'minimal' }} options
 * @property {{ exchange: string, deadLetterExchange: string, queue: string, type: string, serviceName: string, keyPrefix: string }} names
 * @property {{ amqpUrl: string, redisUrl: string, prefetch: number, window: number }} settings
 * @property {number} warmup
 * @property {number} count
 * @property {string} [library]
 */
/** @type {ProfileJob} */
const job = JSON.parse(process.argv[2] ?? '{}');

const session = new inspector.Session();
session.connect();
const post = (/** @type {string} */ method, /** @type {object} */ params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));

async function startProfile() {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return process.cpuUsage();
}

/** @param {NodeJS.CpuUsage} cpuAtStart */
async function stopProfile(cpuAtStart) {
  const { profile } = /** @type {{ profile: import('./lib/profile-stages').CpuProfile }} */ (await post('Profiler.stop'));
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    stages: Object.fromEntries(stageTimes(profile)),
    hottest: hottestFunctions(profile, 15),
    cpuMicros: cpu.user + cpu.system,
  };
}

/** A contender side opened for the job: `publish()` resolves on the confirm; `onEvent` is called per delivery. */
async function open(/** @type {() => void} */ onEvent) {
  const { names, settings } = job;
  if (job.kind === 'event-bus') {
    require('reflect-metadata');
    const { Module } = require('@nestjs/common');
    const { NestFactory } = require('@nestjs/core');
    const { EventBus, EventBusModule } = require(job.library ?? 'nestjs-event-bus');
    class ProfileModule {}
    Module({
      imports: [
        EventBusModule.forRoot({
          serviceName: names.serviceName,
          rabbitmq: {
            url: settings.amqpUrl,
            exchange: names.exchange,
            deadLetterExchange: names.deadLetterExchange,
            prefetch: settings.prefetch,
            ...(job.options.messageProperties ? { messageProperties: job.options.messageProperties } : {}),
          },
          redis: { url: settings.redisUrl, keyPrefix: names.keyPrefix, eventTTL: 3600 },
        }),
      ],
    })(ProfileModule);
    const app = await NestFactory.createApplicationContext(ProfileModule, { logger: ['error', 'warn'] });
    await app.init();
    const bus = app.get(EventBus);
    if (job.role === 'consume') {
      await bus.subscribe(names.type, () => onEvent(), { queue: names.queue, idempotent: job.options.idempotent !== false });
    }
    return {
      publish: (/** @type {unknown} */ data) => bus.publish({ type: names.type, data }),
      close: () => app.close(),
    };
  }
  const amqp = require('amqplib');
  const connection = await amqp.connect(settings.amqpUrl);
  const minimal = job.options.messageProperties === 'minimal';
  if (job.role === 'consume') {
    const channel = await connection.createChannel();
    await channel.assertExchange(names.exchange, 'topic', { durable: true });
    await channel.assertQueue(names.queue, { durable: true });
    await channel.bindQueue(names.queue, names.exchange, names.type);
    await channel.prefetch(settings.prefetch);
    await channel.consume(names.queue, (message) => {
      if (!message) return;
      JSON.parse(message.content.toString());
      channel.ack(message);
      onEvent();
    });
  }
  const publisher = job.role === 'publish' ? await connection.createConfirmChannel() : undefined;
  return {
    publish: (/** @type {unknown} */ data) =>
      new Promise((resolve, reject) => {
        const { body, properties } = cloudEventMessage(names.serviceName, names.type, data, minimal);
        publisher?.publish(names.exchange, names.type, body, properties, (err) => (err ? reject(err) : resolve(undefined)));
      }),
    close: () => connection.close(),
  };
}

/** Publishes `n` events, `window` awaiting their confirm at a time. */
async function publishMany(/** @type {{ publish(data: unknown): Promise<unknown> }} */ side, /** @type {number} */ n) {
  let next = 0;
  const lane = async () => {
    while (next < n) {
      next++;
      await side.publish(benchPayload('profile', next, 0));
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.settings.window, n) }, lane));
}

async function main() {
  if (job.role === 'consume') {
    let seen = 0;
    /** @type {NodeJS.CpuUsage | undefined} */
    let cpuAtStart;
    /** @type {(value?: unknown) => void} */
    let finished = () => undefined;
    const done = new Promise((resolve) => (finished = resolve));
    let starting = Promise.resolve();
    const side = await open(() => {
      seen++;
      if (seen === job.warmup) starting = startProfile().then((cpu) => void (cpuAtStart = cpu));
      if (seen === job.warmup + job.count) finished();
    });
    process.send?.({ ready: true });
    await done;
    await starting;
    const result = await stopProfile(/** @type {NodeJS.CpuUsage} */ (cpuAtStart));
    process.send?.({ result });
    await side.close();
    return;
  }
  const side = await open(() => undefined);
  await publishMany(side, job.warmup);
  const cpuAtStart = await startProfile();
  const started = performance.now();
  await publishMany(side, job.count);
  const seconds = (performance.now() - started) / 1000;
  const result = await stopProfile(cpuAtStart);
  process.send?.({ result: { ...result, msgPerSecond: job.count / seconds } });
  await side.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.send?.({ error: String(err?.stack ?? err) });
    process.exit(1);
  },
);
