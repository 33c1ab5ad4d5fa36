'use strict';

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const amqp = require('amqplib');
const { benchPayload } = require('./payload');
const { cloudEventMessage } = require('./cloud-event-wire');

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * The wire formats whose broker cost is compared: the bare event, nestjs-event-bus's
 * CloudEvent with mirrored or minimal properties (and a keyed one, whose key rides in a header),
 * and the same event in CloudEvents binary content mode (attributes as `cloudEvents:` headers,
 * the data alone in the body).
 */
const FORMATS = /** @type {const} */ ([
  {
    id: 'bare',
    label: 'bare JSON event, persistent + content type (raw amqplib, golevelup)',
    build: (/** @type {unknown} */ data) => ({
      body: Buffer.from(JSON.stringify(data)),
      properties: { persistent: true, contentType: 'application/json' },
    }),
  },
  {
    id: 'mirrored',
    label: 'CloudEvent, mirrored properties (nestjs-event-bus default)',
    build: (/** @type {unknown} */ data) => cloudEventMessage('bench-service', 'USER_CREATED', data),
  },
  {
    id: 'minimal',
    label: "CloudEvent, messageProperties: 'minimal'",
    build: (/** @type {unknown} */ data) => cloudEventMessage('bench-service', 'USER_CREATED', data, true),
  },
  {
    id: 'minimal-keyed',
    label: "CloudEvent, messageProperties: 'minimal', keyed event (x-partition-key header)",
    build: (/** @type {unknown} */ data) => {
      const { body, properties } = cloudEventMessage('bench-service', 'USER_CREATED', data, true);
      return { body, properties: { ...properties, headers: { 'x-partition-key': 'usr_5f3e4a359a523c1f' } } };
    },
  },
  {
    id: 'binary',
    label: 'CloudEvents binary content mode (attributes in headers)',
    build: (/** @type {unknown} */ data) => {
      const { properties } = cloudEventMessage('bench-service', 'USER_CREATED', data);
      const time = new Date(Number(properties.timestamp) * 1000).toISOString();
      return {
        body: Buffer.from(JSON.stringify(data)),
        properties: {
          ...properties,
          contentType: 'application/json',
          headers: {
            'cloudEvents:specversion': '1.0',
            'cloudEvents:id': properties.messageId,
            'cloudEvents:source': properties.appId,
            'cloudEvents:type': properties.type,
            'cloudEvents:time': time,
            'cloudEvents:correlationid': properties.correlationId,
            'cloudEvents:eventversion': '1.0.0',
            'cloudEvents:schemaversion': '1.0',
          },
        },
      };
    },
  },
]);

/**
 * The OS process id of the broker, when it runs on this machine: `BROKER_PID`, else what
 * `rabbitmqctl eval 'os:getpid().'` answers (needs the node's Erlang cookie), else undefined.
 *
 * @returns {number | undefined}
 */
function brokerPid() {
  const fromEnv = Number(process.env.BROKER_PID);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  try {
    const out = execFileSync('rabbitmqctl', ['eval', 'os:getpid().'], {
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
    });
    const pid = Number(/"(\d+)"/.exec(out)?.[1]);
    return Number.isInteger(pid) && fs.existsSync(`/proc/${pid}/stat`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of a process so far, in µs. */
function cpuMicros(/** @type {number} */ pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / USER_HZ) * 1e6;
}

/** Publishes `n` messages with confirms, 500 in flight; returns the body bytes of one. */
function publishAll(/** @type {import('amqplib').ConfirmChannel} */ channel, /** @type {string} */ queue, build, /** @type {number} */ n) {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let inFlight = 0;
    let bodyBytes = 0;
    const pump = () => {
      while (inFlight < 500 && sent < n) {
        const { body, properties } = build(benchPayload('broker-cost', sent, 0));
        bodyBytes = body.length;
        sent++;
        inFlight++;
        channel.publish('', queue, body, properties, (err) => {
          if (err) return reject(err);
          inFlight--;
          if (sent === n && inFlight === 0) resolve(bodyBytes);
          else pump();
        });
      }
    };
    pump();
  });
}

/** Consumes `n` messages with prefetch 100 and acks. */
async function consumeAll(/** @type {import('amqplib').ChannelModel} */ connection, /** @type {string} */ queue, /** @type {number} */ n) {
  const channel = await connection.createChannel();
  await channel.prefetch(100);
  let got = 0;
  await new Promise((resolve) =>
    channel.consume(queue, (message) => {
      if (!message) return;
      channel.ack(message);
      if (++got === n) resolve(undefined);
    }),
  );
  await channel.close();
}

/**
 * Broker CPU per message for each wire format (see `FORMATS`): rounds in which every format
 * takes its turn, so a drift in machine load touches all of them alike; medians of the rounds.
 *
 * @param {{ url: string, pid: number, messages: number, rounds: number, queuePrefix: string }} o
 * @returns {Promise<{ rows: Array<{ id: string, label: string, bodyBytes: number, publishMicros: number, consumeMicros: number }> }>}
 */
async function measureBrokerCost(o) {
  const connection = await amqp.connect(o.url);
  const channel = await connection.createConfirmChannel();
  /** @type {Map<string, { bodyBytes: number, publish: number[], consume: number[] }>} */
  const samples = new Map(FORMATS.map((f) => [f.id, { bodyBytes: 0, publish: [], consume: [] }]));
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const format of FORMATS) {
        const queue = `${o.queuePrefix}.${format.id}.${randomUUID().slice(0, 8)}`;
        await channel.assertQueue(queue, { durable: true });
        const atStart = cpuMicros(o.pid);
        const bodyBytes = await publishAll(channel, queue, format.build, o.messages);
        const published = cpuMicros(o.pid);
        await consumeAll(connection, queue, o.messages);
        const consumed = cpuMicros(o.pid);
        await channel.deleteQueue(queue);
        const s = /** @type {{ bodyBytes: number, publish: number[], consume: number[] }} */ (samples.get(format.id));
        s.bodyBytes = /** @type {number} */ (bodyBytes);
        s.publish.push((published - atStart) / o.messages);
        s.consume.push((consumed - published) / o.messages);
      }
    }
  } finally {
    await connection.close();
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    rows: FORMATS.map((f) => {
      const s = /** @type {{ bodyBytes: number, publish: number[], consume: number[] }} */ (samples.get(f.id));
      return { id: f.id, label: f.label, bodyBytes: s.bodyBytes, publishMicros: median(s.publish), consumeMicros: median(s.consume) };
    }),
  };
}

module.exports = { measureBrokerCost, brokerPid, FORMATS };
