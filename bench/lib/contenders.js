'use strict';

/**
 * The contenders, in table order. Raw amqplib comes first: it is the baseline every ratio is
 * taken against. `topology` says who declares the broker objects: the harness (so the
 * publisher can fill a queue before any consumer exists) or the library itself.
 */

/**
 * @typedef {object} ContenderSpec
 * @property {string} id short name used on the command line and in resource names
 * @property {string} label name shown in the tables
 * @property {string} module file under bench/contenders that opens it
 * @property {'exchange' | 'queue' | 'library'} topology harness-declared topic exchange + queues, harness-declared queues on the default exchange, or declared by the library
 * @property {boolean} usesRedis whether the contender talks to Redis at all
 * @property {boolean} needsBuild whether it runs the library built from libs/event-bus
 * @property {Record<string, unknown>} [options] contender-specific options
 * @property {string} [sameWireAs] raw contender sending the very same messages (default `raw-cloudevents`)
 */

/** @type {readonly ContenderSpec[]} */
const CONTENDERS = Object.freeze([
  { id: 'raw', label: 'raw amqplib', module: 'raw-amqplib', topology: 'exchange', usesRedis: false, needsBuild: false },
  {
    id: 'raw-cloudevents',
    label: 'raw amqplib, nestjs-event-bus wire format',
    module: 'raw-amqplib',
    topology: 'exchange',
    usesRedis: false,
    needsBuild: false,
    options: { wireFormat: 'cloudevents' },
  },
  {
    id: 'raw-cloudevents-minimal',
    label: 'raw amqplib, nestjs-event-bus wire format, minimal properties',
    module: 'raw-amqplib',
    topology: 'exchange',
    usesRedis: false,
    needsBuild: false,
    options: { wireFormat: 'cloudevents-minimal' },
  },
  { id: 'golevelup', label: '@golevelup/nestjs-rabbitmq', module: 'golevelup', topology: 'exchange', usesRedis: false, needsBuild: false },
  {
    id: 'microservices',
    label: '@nestjs/microservices RMQ',
    module: 'nest-microservices',
    topology: 'queue',
    usesRedis: false,
    needsBuild: false,
  },
  {
    id: 'event-bus',
    label: 'nestjs-event-bus (idempotent)',
    module: 'event-bus',
    topology: 'library',
    usesRedis: true,
    needsBuild: true,
    options: { idempotent: true },
  },
  {
    id: 'event-bus-noidem',
    label: 'nestjs-event-bus (idempotent: false)',
    module: 'event-bus',
    topology: 'library',
    usesRedis: true,
    needsBuild: true,
    options: { idempotent: false },
  },
  {
    id: 'event-bus-minimal',
    label: "nestjs-event-bus (idempotent: false, messageProperties: 'minimal')",
    module: 'event-bus',
    topology: 'library',
    usesRedis: true,
    needsBuild: true,
    options: { idempotent: false, messageProperties: 'minimal' },
    sameWireAs: 'raw-cloudevents-minimal',
  },
]);

/** Id of the contender every ratio is relative to. */
const BASELINE_ID = 'raw';

/**
 * The contenders a run includes (all, or those named with `--only`, in table order).
 *
 * @param {string[] | null} only ids to keep, or null for all
 * @returns {ContenderSpec[]}
 */
function selectContenders(only) {
  if (!only) return [...CONTENDERS];
  const unknown = only.filter((id) => !CONTENDERS.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`Unknown contender(s): ${unknown.join(', ')}; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  return CONTENDERS.filter((c) => only.includes(c.id));
}

module.exports = { CONTENDERS, BASELINE_ID, selectContenders };
