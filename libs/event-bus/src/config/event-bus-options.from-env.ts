import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import type { EventBusOptions } from '../interfaces/event-bus-options.interface';
import { describeValue, NAME_PATTERN, type Problems } from '../options/option-checks';
import { passwordOf, redactSecrets } from '../options/redact-url';
import type { EventBusRedisClusterOptions, EventBusRedisSentinelOptions } from '../interfaces/redis-ha-options.interface';
import { parseEndpoint } from '../options/redis-endpoint';

/** Environment variables read by {@link eventBusOptionsFromEnv}, with their defaults. */
export const EVENT_BUS_ENV_DEFAULTS = {
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  EVENT_EXCHANGE: 'events',
  DEAD_LETTER_EXCHANGE: 'events.dlx',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: 'events:',
} as const;

/** Every variable {@link eventBusOptionsFromEnv} reads, and the option it sets (named in its problems). */
const OPTION_OF = {
  SERVICE_NAME: 'serviceName',
  RABBITMQ_URL: 'rabbitmq.url',
  RABBITMQ_URLS: 'rabbitmq.urls',
  EVENT_EXCHANGE: 'rabbitmq.exchange',
  DEAD_LETTER_EXCHANGE: 'rabbitmq.deadLetterExchange',
  RETRY_COUNT: 'rabbitmq.retryCount',
  RETRY_DELAY: 'rabbitmq.retryDelay',
  RETRY_BACKOFF: 'rabbitmq.retryBackoff',
  PREFETCH: 'rabbitmq.prefetch',
  QUEUE_TYPE: 'rabbitmq.queueType',
  MESSAGE_PROPERTIES: 'rabbitmq.messageProperties',
  REDIS_URL: 'redis.url',
  REDIS_SENTINELS: 'redis.sentinel.sentinels',
  REDIS_SENTINEL_NAME: 'redis.sentinel.name',
  REDIS_SENTINEL_PASSWORD: 'redis.sentinel.sentinelPassword',
  REDIS_CLUSTER_NODES: 'redis.cluster.nodes',
  REDIS_PASSWORD: 'redis.sentinel.password or redis.cluster.password',
  REDIS_KEY_PREFIX: 'redis.keyPrefix',
  EVENT_TTL: 'redis.eventTTL',
} as const;

type Variable = keyof typeof OPTION_OF;
type Env = Record<string, string | undefined>;

/** Problems of the variables read so far, `NAME: what is wrong; sets option.path`. */
class EnvProblems {
  readonly list: Problems = [];

  add(name: Variable, text: string): void {
    this.list.push(`${name}: ${text}; sets ${OPTION_OF[name]}`);
  }
}

/** A whole number >= `min`; `undefined` when unset or blank. */
function readWholeNumber(env: Env, name: Variable, min: number, problems: EnvProblems): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) problems.add(name, `must be a number (got ${describeValue(raw)})`);
  else if (!Number.isInteger(value) || value < min) problems.add(name, `must be a whole number >= ${min} (got ${describeValue(raw)})`);
  return value;
}

/** One of `allowed`; `undefined` when unset or empty. */
function readOneOf<T extends string>(env: Env, name: Variable, allowed: readonly T[], problems: EnvProblems): T | undefined {
  const raw = env[name] || undefined;
  if (raw !== undefined && !(allowed as readonly string[]).includes(raw)) {
    problems.add(name, `must be ${allowed.join(' or ')} (got ${describeValue(raw)})`);
  }
  return raw as T | undefined;
}

/** A URL of one of `schemes` (e.g. `'amqp:'`), or `fallback` when unset or empty; quoted with its password masked. */
function readUrl(env: Env, name: Variable, fallback: string, schemes: readonly string[], problems: EnvProblems): string {
  const raw = env[name];
  if (!raw) return fallback;
  const expected = `must be ${/^[aeiou]/.test(schemes[0]) ? 'an' : 'a'} ${schemes.map((s) => `${s}//`).join(' or ')} URL`;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // Unparsable, so the password cannot be located: show nothing past the scheme.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(raw)?.[0] ?? '';
    problems.add(name, `is not a valid URL; ${expected} (got "${scheme}…")`);
    return raw;
  }
  if (!schemes.includes(protocol)) problems.add(name, `${expected} (got ${describeValue(raw)})`);
  return raw;
}

/**
 * `{ url }` from RABBITMQ_URL, or `{ urls }` from RABBITMQ_URLS (comma-separated node URLs of
 * one cluster); setting both is a problem, as the module options allow only one of them.
 */
function readBrokerUrls(env: Env, problems: EnvProblems): { url: string } | { urls: string[] } {
  const list = env.RABBITMQ_URLS?.trim();
  if (!list) return { url: readUrl(env, 'RABBITMQ_URL', EVENT_BUS_ENV_DEFAULTS.RABBITMQ_URL, ['amqp:', 'amqps:'], problems) };
  if (env.RABBITMQ_URL) problems.add('RABBITMQ_URLS', 'set either RABBITMQ_URL or RABBITMQ_URLS, not both');
  const urls = list.split(',').map((u) => u.trim());
  for (const url of urls) {
    if (url === '') problems.add('RABBITMQ_URLS', 'has an empty entry; list the node URLs separated by single commas');
    else readUrl({ RABBITMQ_URLS: url }, 'RABBITMQ_URLS', url, ['amqp:', 'amqps:'], problems);
  }
  return { urls };
}

/** A comma-separated list of endpoints (`host:port`, or also `redis://` URLs with `allowUrl`), each checked. */
function readEndpoints(env: Env, name: Variable, allowUrl: boolean, problems: EnvProblems): string[] {
  const entries = (env[name] ?? '').split(',').map((e) => e.trim());
  for (const entry of entries) {
    const parsed = entry === '' ? { problem: 'has an empty entry' } : parseEndpoint(entry, 1, allowUrl);
    if (!('problem' in parsed)) continue;
    const shape = allowUrl ? 'node URLs or host:port' : 'host:port';
    problems.add(name, `${parsed.problem}; list ${shape} separated by commas (got ${describeValue(entry)})`);
  }
  return entries;
}

/**
 * Where Redis is: `{ url }` from REDIS_URL, `{ sentinel }` from REDIS_SENTINELS (comma-separated
 * `host:port`) and REDIS_SENTINEL_NAME, or `{ cluster }` from REDIS_CLUSTER_NODES
 * (comma-separated URLs or `host:port`); REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD go with the
 * last two. Setting more than one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES is a problem.
 */
function readRedisTarget(
  env: Env,
  problems: EnvProblems,
): { url: string } | { sentinel: EventBusRedisSentinelOptions } | { cluster: EventBusRedisClusterOptions } {
  const sentinels = env.REDIS_SENTINELS?.trim();
  const nodes = env.REDIS_CLUSTER_NODES?.trim();
  const password = env.REDIS_PASSWORD || undefined;
  if (sentinels && nodes) problems.add('REDIS_CLUSTER_NODES', 'set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES');
  if ((sentinels || nodes) && env.REDIS_URL) {
    problems.add(
      sentinels ? 'REDIS_SENTINELS' : 'REDIS_CLUSTER_NODES',
      'set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES',
    );
  }
  if (!sentinels && env.REDIS_SENTINEL_NAME) problems.add('REDIS_SENTINEL_NAME', 'needs REDIS_SENTINELS');
  if (sentinels) {
    const name = env.REDIS_SENTINEL_NAME?.trim() ?? '';
    if (name === '') problems.add('REDIS_SENTINEL_NAME', 'required with REDIS_SENTINELS; the master group name the sentinels monitor');
    const sentinel: EventBusRedisSentinelOptions = { sentinels: readEndpoints(env, 'REDIS_SENTINELS', false, problems), name, password };
    if (env.REDIS_SENTINEL_PASSWORD) sentinel.sentinelPassword = env.REDIS_SENTINEL_PASSWORD;
    return { sentinel };
  }
  if (nodes) return { cluster: { nodes: readEndpoints(env, 'REDIS_CLUSTER_NODES', true, problems), password } };
  return { url: readUrl(env, 'REDIS_URL', EVENT_BUS_ENV_DEFAULTS.REDIS_URL, ['redis:', 'rediss:'], problems) };
}

/** A name usable in queue names (letters, digits, `. _ -`), or `fallback` when unset or empty. */
function readName(env: Env, name: Variable, fallback: string, problems: EnvProblems): string {
  const raw = env[name];
  if (!raw) return fallback;
  if (!NAME_PATTERN.test(raw)) problems.add(name, `must be letters, digits, '.', '_' or '-' (got ${describeValue(raw)})`);
  return raw;
}

/**
 * Module options from the environment, as the sample services and the `dlq` command read
 * them: SERVICE_NAME, RABBITMQ_URL (or RABBITMQ_URLS, comma-separated cluster nodes), EVENT_EXCHANGE, DEAD_LETTER_EXCHANGE, RETRY_COUNT,
 * RETRY_DELAY, RETRY_BACKOFF, PREFETCH, QUEUE_TYPE, MESSAGE_PROPERTIES, REDIS_URL (`none`: no Redis), REDIS_KEY_PREFIX, EVENT_TTL;
 * or, instead of REDIS_URL, REDIS_SENTINELS + REDIS_SENTINEL_NAME (Sentinel) or REDIS_CLUSTER_NODES
 * (Cluster), with REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD.
 * Empty variables count as unset. Every variable is checked as it is read, and all the bad
 * ones are reported at once, by variable name and with passwords masked, in one
 * `InvalidEventBusOptionsError` (`source: 'environment'`, `fields` = the variables). A missing
 * service name (neither `serviceName` nor SERVICE_NAME) is left to the module's validation,
 * which also checks everything again.
 * @throws InvalidEventBusOptionsError
 */
export function eventBusOptionsFromEnv(env: Env = process.env, serviceName = env.SERVICE_NAME ?? ''): EventBusOptions {
  const d = EVENT_BUS_ENV_DEFAULTS;
  const problems = new EnvProblems();
  if (serviceName !== '' && serviceName === env.SERVICE_NAME) readName(env, 'SERVICE_NAME', serviceName, problems);
  const options: EventBusOptions = {
    serviceName,
    rabbitmq: {
      ...readBrokerUrls(env, problems),
      exchange: readName(env, 'EVENT_EXCHANGE', d.EVENT_EXCHANGE, problems),
      deadLetterExchange: readName(env, 'DEAD_LETTER_EXCHANGE', d.DEAD_LETTER_EXCHANGE, problems),
      retryCount: readWholeNumber(env, 'RETRY_COUNT', 0, problems),
      retryDelay: readWholeNumber(env, 'RETRY_DELAY', 0, problems),
      retryBackoff: readOneOf(env, 'RETRY_BACKOFF', ['fixed', 'exponential'], problems),
      prefetch: readWholeNumber(env, 'PREFETCH', 1, problems),
      queueType: readOneOf(env, 'QUEUE_TYPE', ['classic', 'quorum'], problems),
      messageProperties: readOneOf(env, 'MESSAGE_PROPERTIES', ['mirrored', 'minimal'], problems),
    },
    // REDIS_URL=none: run without Redis (no ledger, no cache).
    redis: /^none$/i.test(env.REDIS_URL?.trim() ?? '')
      ? undefined
      : {
          ...readRedisTarget(env, problems),
          keyPrefix: env.REDIS_KEY_PREFIX ?? d.REDIS_KEY_PREFIX,
          eventTTL: readWholeNumber(env, 'EVENT_TTL', 1, problems),
        },
  };
  if (!options.redis) delete options.redis;
  const { exchange, deadLetterExchange } = options.rabbitmq;
  if (exchange === deadLetterExchange && NAME_PATTERN.test(exchange)) {
    // Blame the variable that was set (both, or one of them equal to the other's default).
    const [culprit, other]: Variable[] = env.DEAD_LETTER_EXCHANGE
      ? ['DEAD_LETTER_EXCHANGE', 'EVENT_EXCHANGE']
      : ['EVENT_EXCHANGE', 'DEAD_LETTER_EXCHANGE'];
    problems.add(culprit, `must differ from ${other} (both ${describeValue(exchange)})`);
  }
  if (problems.list.length > 0) {
    // Belt and braces: the passwords of the URLs are masked wherever else they were pasted.
    const secrets = [
      env.RABBITMQ_URL,
      ...(env.RABBITMQ_URLS?.split(',') ?? []),
      env.REDIS_URL,
      ...(env.REDIS_CLUSTER_NODES?.split(',') ?? []),
    ]
      .map((u) => (u ? passwordOf(u.trim()) : undefined))
      .concat(env.REDIS_PASSWORD, env.REDIS_SENTINEL_PASSWORD)
      .filter((s): s is string => s !== undefined && s !== '');
    throw new InvalidEventBusOptionsError(
      problems.list.map((p) => redactSecrets(p, secrets)),
      'environment',
    );
  }
  return options;
}
