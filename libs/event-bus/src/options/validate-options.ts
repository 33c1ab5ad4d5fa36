import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import type {
  EventBusMonitoringOptions,
  EventBusOptions,
  EventBusRabbitMqOptions,
  EventBusRedisOptions,
} from '../interfaces/event-bus-options.interface';
import {
  checkRetryPolicy,
  describeValue,
  isObject,
  optionalInt,
  optionalOneOf,
  optionKeys,
  type Problems,
  refuseUnknownKeys,
  requireName,
} from './option-checks';
import { passwordOf } from './redact-url';
import { brokerUrlsOf, checkBrokerUrls } from './broker-urls.check';
import { checkRedisTarget } from './redis-topology.check';
import { redisSecrets } from './redis-topology';
import { resolveOptions, type ResolvedEventBusOptions } from './resolved-options';

/**
 * The valid keys of each level of the module options; any other key is refused, since it
 * would otherwise be ignored without a word (a misspelt `rabbitmq.retryDelayy` keeps the
 * default delay). Nest adds no key: `forRoot()` removes `isGlobal` before the options get
 * here, and `forRootAsync()` passes on what its factory returns, untouched.
 */
const KNOWN_KEYS = {
  options: optionKeys<EventBusOptions>({
    serviceName: true,
    rabbitmq: true,
    redis: true,
    schemas: true,
    interceptors: true,
    useGlobalPipes: true,
    shutdownTimeout: true,
    maxMessageBytes: true,
    monitoring: true,
  }),
  rabbitmq: optionKeys<EventBusRabbitMqOptions>({
    url: true,
    urls: true,
    exchange: true,
    deadLetterExchange: true,
    retryCount: true,
    retryDelay: true,
    retryBackoff: true,
    prefetch: true,
    queueType: true,
    messageProperties: true,
    tls: true,
    publishTimeout: true,
    maxPendingPublishes: true,
    waitForConnection: true,
    connectTimeout: true,
    heartbeat: true,
    deliveryLimit: true,
  }),
  redis: optionKeys<EventBusRedisOptions>({
    url: true,
    sentinel: true,
    cluster: true,
    keyPrefix: true,
    eventTTL: true,
    tls: true,
    connectTimeout: true,
    leaseTimeout: true,
  }),
  monitoring: optionKeys<EventBusMonitoringOptions>({
    deadLetterThreshold: true,
    onDeadLetterThreshold: true,
    checkInterval: true,
  }),
};

/** Keys of `forRoot()` / `forRootAsync()` themselves, which have no effect inside the options object. */
const MODULE_ARGUMENT_KEYS = {
  isGlobal: 'isGlobal belongs to the argument of forRoot() / forRootAsync() itself; inside the options it has no effect',
};

function checkRabbitMq(value: unknown, problems: Problems): void {
  if (!isObject(value)) {
    problems.push(`rabbitmq: required; an object with url, exchange and deadLetterExchange (got ${describeValue(value)})`);
    return;
  }
  checkBrokerUrls(value, problems);
  requireName(value, 'exchange', 'rabbitmq.exchange', problems);
  requireName(value, 'deadLetterExchange', 'rabbitmq.deadLetterExchange', problems);
  if (typeof value.exchange === 'string' && value.exchange === value.deadLetterExchange) {
    problems.push('rabbitmq.deadLetterExchange: must differ from rabbitmq.exchange');
  }
  checkRetryPolicy(value, 'rabbitmq.', problems);
  optionalInt(value, 'prefetch', 'rabbitmq.prefetch', 1, problems);
  optionalOneOf(value, 'queueType', 'rabbitmq.queueType', ['classic', 'quorum'], problems);
  optionalOneOf(value, 'messageProperties', 'rabbitmq.messageProperties', ['mirrored', 'minimal'], problems);
  optionalInt(value, 'publishTimeout', 'rabbitmq.publishTimeout', 1, problems);
  optionalInt(value, 'maxPendingPublishes', 'rabbitmq.maxPendingPublishes', 1, problems);
  optionalOneOf(value, 'waitForConnection', 'rabbitmq.waitForConnection', [true, false], problems);
  optionalInt(value, 'connectTimeout', 'rabbitmq.connectTimeout', 1, problems);
  optionalInt(value, 'heartbeat', 'rabbitmq.heartbeat', 1, problems);
  optionalInt(value, 'deliveryLimit', 'rabbitmq.deliveryLimit', 1, problems);
  if (value.tls !== undefined && !isObject(value.tls)) problems.push('rabbitmq.tls: must be an object of TLS options');
  refuseUnknownKeys(value, KNOWN_KEYS.rabbitmq, 'rabbitmq.', problems);
}

function checkRedis(value: unknown, problems: Problems): void {
  if (value === undefined) return; // no Redis: no ledger, no cache
  if (!isObject(value)) {
    problems.push(`redis: an object with url (or sentinel, or cluster), or left out to run without Redis (got ${describeValue(value)})`);
    return;
  }
  checkRedisTarget(value, problems);
  if (value.keyPrefix !== undefined && typeof value.keyPrefix !== 'string') {
    problems.push(`redis.keyPrefix: must be a string (got ${describeValue(value.keyPrefix)})`);
  }
  optionalInt(value, 'eventTTL', 'redis.eventTTL', 1, problems);
  optionalInt(value, 'connectTimeout', 'redis.connectTimeout', 1, problems);
  optionalInt(value, 'leaseTimeout', 'redis.leaseTimeout', 100, problems);
  if (value.tls !== undefined && !isObject(value.tls)) problems.push('redis.tls: must be an object of TLS options');
  refuseUnknownKeys(value, KNOWN_KEYS.redis, 'redis.', problems);
}

function checkSchemas(value: unknown, problems: Problems): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push('schemas: must be an object mapping event types to DTO classes');
    return;
  }
  for (const [type, dto] of Object.entries(value)) {
    if (typeof dto !== 'function') problems.push(`schemas.${type}: must be a class (got ${describeValue(dto)})`);
  }
}

function checkInterceptors(value: unknown, problems: Problems): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((i) => typeof i !== 'function')) {
    problems.push('interceptors: must be an array of NestInterceptor classes');
  }
}

function checkMonitoring(value: unknown, problems: Problems): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push('monitoring: must be an object');
    return;
  }
  optionalInt(value, 'deadLetterThreshold', 'monitoring.deadLetterThreshold', 1, problems);
  optionalInt(value, 'checkInterval', 'monitoring.checkInterval', 100, problems);
  if (value.onDeadLetterThreshold !== undefined && typeof value.onDeadLetterThreshold !== 'function') {
    problems.push('monitoring.onDeadLetterThreshold: must be a function');
  }
  refuseUnknownKeys(value, KNOWN_KEYS.monitoring, 'monitoring.', problems);
}

/**
 * Checks module options and fills in defaults. Every problem is reported at once, each
 * naming the option path; URLs are quoted with their password masked. A key the options do
 * not have, at any level, is a problem too, with the closest valid key when one is near.
 * @throws InvalidEventBusOptionsError
 */
export function validateEventBusOptions(options: unknown): ResolvedEventBusOptions {
  const problems: Problems = [];
  if (!isObject(options)) {
    throw new InvalidEventBusOptionsError([`options: required; an object (got ${describeValue(options)})`]);
  }
  requireName(options, 'serviceName', 'serviceName', problems);
  checkRabbitMq(options.rabbitmq, problems);
  checkRedis(options.redis, problems);
  checkSchemas(options.schemas, problems);
  checkInterceptors(options.interceptors, problems);
  optionalOneOf(options, 'useGlobalPipes', 'useGlobalPipes', [true, false], problems);
  optionalInt(options, 'shutdownTimeout', 'shutdownTimeout', 0, problems);
  optionalInt(options, 'maxMessageBytes', 'maxMessageBytes', 1024, problems);
  checkMonitoring(options.monitoring, problems);
  refuseUnknownKeys(options, KNOWN_KEYS.options, '', problems, { misplaced: MODULE_ARGUMENT_KEYS });
  if (problems.length > 0) throw new InvalidEventBusOptionsError(problems);

  const typed = options as unknown as EventBusOptions;
  const secrets = [
    ...brokerUrlsOf(typed.rabbitmq).map(passwordOf),
    typed.redis?.url ? passwordOf(typed.redis.url) : undefined,
    ...(typed.redis ? redisSecrets(typed.redis) : []),
  ].filter((s): s is string => s !== undefined);
  return resolveOptions(typed, secrets);
}
