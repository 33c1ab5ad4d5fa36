import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import type { EventBusOptions } from '../interfaces/event-bus-options.interface';
import { passwordOf, redactUrl } from './redact-url';
import { resolveOptions, type ResolvedEventBusOptions } from './resolved-options';

/** Names usable in queue names and as CloudEvents `source`. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

type Problems = string[];
type Bag = Record<string, unknown>;

const isObject = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrl(value));
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : String(value);
}

function requireName(bag: Bag, key: string, path: string, problems: Problems): void {
  const value = bag[key];
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    problems.push(`${path}: required; letters, digits, '.', '_' or '-' (got ${describe(value)})`);
  }
}

function requireUrl(bag: Bag, key: string, path: string, schemes: string[], problems: Problems): void {
  const value = bag[key];
  const hint = `a ${schemes.map((s) => `${s}//`).join(' or ')} URL`;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`${path}: required; ${hint} (got ${describe(value)})`);
    return;
  }
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Unparsable, so the password cannot be located: show nothing past the scheme.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? '';
    problems.push(`${path}: not a valid URL; expected ${hint} (got "${scheme}…")`);
    return;
  }
  if (!schemes.includes(protocol)) problems.push(`${path}: expected ${hint} (got ${describe(value)})`);
}

function optionalInt(bag: Bag, key: string, path: string, min: number, problems: Problems): void {
  const value = bag[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    problems.push(`${path}: must be an integer >= ${min} (got ${describe(value)})`);
  }
}

function optionalOneOf(bag: Bag, key: string, path: string, allowed: readonly unknown[], problems: Problems): void {
  const value = bag[key];
  if (value !== undefined && !allowed.includes(value)) {
    problems.push(`${path}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${describe(value)})`);
  }
}

function checkRetryPolicy(bag: Bag, prefix: string, problems: Problems): void {
  optionalInt(bag, 'retryCount', `${prefix}retryCount`, 0, problems);
  optionalInt(bag, 'retryDelay', `${prefix}retryDelay`, 0, problems);
  optionalOneOf(bag, 'retryBackoff', `${prefix}retryBackoff`, ['fixed', 'exponential'], problems);
}

function checkRabbitMq(value: unknown, problems: Problems): void {
  if (!isObject(value)) {
    problems.push(`rabbitmq: required; an object with url, exchange and deadLetterExchange (got ${describe(value)})`);
    return;
  }
  requireUrl(value, 'url', 'rabbitmq.url', ['amqp:', 'amqps:'], problems);
  requireName(value, 'exchange', 'rabbitmq.exchange', problems);
  requireName(value, 'deadLetterExchange', 'rabbitmq.deadLetterExchange', problems);
  if (typeof value.exchange === 'string' && value.exchange === value.deadLetterExchange) {
    problems.push('rabbitmq.deadLetterExchange: must differ from rabbitmq.exchange');
  }
  checkRetryPolicy(value, 'rabbitmq.', problems);
  optionalInt(value, 'prefetch', 'rabbitmq.prefetch', 1, problems);
  optionalOneOf(value, 'queueType', 'rabbitmq.queueType', ['classic', 'quorum'], problems);
  optionalInt(value, 'publishTimeout', 'rabbitmq.publishTimeout', 1, problems);
  optionalInt(value, 'maxPendingPublishes', 'rabbitmq.maxPendingPublishes', 1, problems);
  optionalOneOf(value, 'waitForConnection', 'rabbitmq.waitForConnection', [true, false], problems);
  optionalInt(value, 'connectTimeout', 'rabbitmq.connectTimeout', 1, problems);
  optionalInt(value, 'heartbeat', 'rabbitmq.heartbeat', 1, problems);
  if (value.tls !== undefined && !isObject(value.tls)) problems.push('rabbitmq.tls: must be an object of TLS options');
}

function checkRedis(value: unknown, problems: Problems): void {
  if (!isObject(value)) {
    problems.push(`redis: required; an object with url (got ${describe(value)})`);
    return;
  }
  requireUrl(value, 'url', 'redis.url', ['redis:', 'rediss:'], problems);
  if (value.keyPrefix !== undefined && typeof value.keyPrefix !== 'string') {
    problems.push(`redis.keyPrefix: must be a string (got ${describe(value.keyPrefix)})`);
  }
  optionalInt(value, 'eventTTL', 'redis.eventTTL', 1, problems);
  optionalInt(value, 'connectTimeout', 'redis.connectTimeout', 1, problems);
  optionalInt(value, 'leaseTimeout', 'redis.leaseTimeout', 100, problems);
  if (value.tls !== undefined && !isObject(value.tls)) problems.push('redis.tls: must be an object of TLS options');
}

function checkSchemas(value: unknown, problems: Problems): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push('schemas: must be an object mapping event types to DTO classes');
    return;
  }
  for (const [type, dto] of Object.entries(value)) {
    if (typeof dto !== 'function') problems.push(`schemas.${type}: must be a class (got ${describe(dto)})`);
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
}

/**
 * Checks module options and fills in defaults. Every problem is reported at once, each
 * naming the option path; URLs are quoted with their password masked.
 * @throws InvalidEventBusOptionsError
 */
export function validateEventBusOptions(options: unknown): ResolvedEventBusOptions {
  const problems: Problems = [];
  if (!isObject(options)) {
    throw new InvalidEventBusOptionsError([`options: required; an object (got ${describe(options)})`]);
  }
  requireName(options, 'serviceName', 'serviceName', problems);
  checkRabbitMq(options.rabbitmq, problems);
  checkRedis(options.redis, problems);
  checkSchemas(options.schemas, problems);
  checkInterceptors(options.interceptors, problems);
  optionalInt(options, 'shutdownTimeout', 'shutdownTimeout', 0, problems);
  optionalInt(options, 'maxMessageBytes', 'maxMessageBytes', 1024, problems);
  checkMonitoring(options.monitoring, problems);
  if (problems.length > 0) throw new InvalidEventBusOptionsError(problems);

  const typed = options as unknown as EventBusOptions;
  const secrets = [passwordOf(typed.rabbitmq.url), passwordOf(typed.redis.url)].filter(
    (s): s is string => s !== undefined,
  );
  return resolveOptions(typed, secrets);
}

/** Checks a subscription's own retry/prefetch overrides; same rules as the module options. */
export function subscribeOptionProblems(options: Record<string, unknown>, where: string): string[] {
  const problems: Problems = [];
  checkRetryPolicy(options, `${where}.`, problems);
  optionalInt(options, 'prefetch', `${where}.prefetch`, 1, problems);
  optionalInt(options, 'deadLetterThreshold', `${where}.deadLetterThreshold`, 1, problems);
  if (options.queue !== undefined && (typeof options.queue !== 'string' || !NAME_PATTERN.test(options.queue))) {
    problems.push(`${where}.queue: letters, digits, '.', '_' or '-' (got ${describe(options.queue)})`);
  }
  for (const flag of ['durable', 'useCache', 'ordered', 'idempotent'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') problems.push(`${where}.${flag}: must be true or false`);
  }
  if (options.schema !== undefined && typeof options.schema !== 'function') {
    problems.push(`${where}.schema: must be a class`);
  }
  return problems;
}
