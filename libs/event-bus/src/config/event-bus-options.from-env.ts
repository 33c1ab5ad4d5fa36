import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import type { EventBusOptions } from '../interfaces/event-bus-options.interface';
import { describeValue, NAME_PATTERN, type Problems } from '../options/option-checks';
import { passwordOf, redactSecrets } from '../options/redact-url';

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
 * RETRY_DELAY, RETRY_BACKOFF, PREFETCH, QUEUE_TYPE, MESSAGE_PROPERTIES, REDIS_URL (`none`: no Redis), REDIS_KEY_PREFIX, EVENT_TTL.
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
          url: readUrl(env, 'REDIS_URL', d.REDIS_URL, ['redis:', 'rediss:'], problems),
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
    const secrets = [env.RABBITMQ_URL, ...(env.RABBITMQ_URLS?.split(',') ?? []), env.REDIS_URL]
      .map((u) => (u ? passwordOf(u) : undefined))
      .filter((s): s is string => s !== undefined);
    throw new InvalidEventBusOptionsError(
      problems.list.map((p) => redactSecrets(p, secrets)),
      'environment',
    );
  }
  return options;
}
