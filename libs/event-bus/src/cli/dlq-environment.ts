import { EVENT_BUS_ENV_DEFAULTS } from '../config/event-bus-options.from-env';

/** Connection name the command gives itself when SERVICE_NAME is not set. */
export const DLQ_SERVICE_NAME_DEFAULT = 'dlq-cli';

/** An environment variable the command reads (through `eventBusOptionsFromEnv`). */
export interface DlqEnvironmentVariable {
  name: string;
  /** Module option it sets, as `InvalidEventBusOptionsError` names it. */
  option: string;
  /** What it means to this command. */
  meaning: string;
  /** Value used when it is not set. */
  default?: string;
  /** Listed one per line in the help; the others only by name (they do not change what the command does). */
  main: boolean;
}

const d = EVENT_BUS_ENV_DEFAULTS;

/** Every variable of `eventBusOptionsFromEnv`, the ones that matter to this command first. */
export const DLQ_ENVIRONMENT: readonly DlqEnvironmentVariable[] = [
  { name: 'RABBITMQ_URL', option: 'rabbitmq.url', meaning: 'broker holding the dead-letter queues', default: d.RABBITMQ_URL, main: true },
  {
    name: 'RABBITMQ_URLS',
    option: 'rabbitmq.urls',
    meaning: 'cluster node URLs, comma-separated (instead)',
    default: 'unset',
    main: true,
  },
  {
    name: 'EVENT_EXCHANGE',
    option: 'rabbitmq.exchange',
    meaning: 'event exchange, declared on start as the services do',
    default: d.EVENT_EXCHANGE,
    main: true,
  },
  {
    name: 'DEAD_LETTER_EXCHANGE',
    option: 'rabbitmq.deadLetterExchange',
    meaning: 'dead-letter exchange, declared on start as well',
    default: d.DEAD_LETTER_EXCHANGE,
    main: true,
  },
  {
    name: 'SERVICE_NAME',
    option: 'serviceName',
    meaning: 'connection name shown by the broker',
    default: DLQ_SERVICE_NAME_DEFAULT,
    main: true,
  },
  { name: 'REDIS_URL', option: 'redis.url', meaning: 'Redis server the event bus connects to on start', default: d.REDIS_URL, main: true },
  {
    name: 'REDIS_KEY_PREFIX',
    option: 'redis.keyPrefix',
    meaning: 'prefix of the event bus keys in Redis',
    default: d.REDIS_KEY_PREFIX,
    main: true,
  },
  { name: 'RETRY_COUNT', option: 'rabbitmq.retryCount', meaning: 'retries per event', main: false },
  { name: 'RETRY_DELAY', option: 'rabbitmq.retryDelay', meaning: 'delay before a retry', main: false },
  { name: 'RETRY_BACKOFF', option: 'rabbitmq.retryBackoff', meaning: 'growth of the retry delay', main: false },
  { name: 'PREFETCH', option: 'rabbitmq.prefetch', meaning: 'unacked messages per consumer', main: false },
  { name: 'QUEUE_TYPE', option: 'rabbitmq.queueType', meaning: 'type of declared queues', main: false },
  { name: 'EVENT_TTL', option: 'redis.eventTTL', meaning: 'lifetime of idempotency records', main: false },
  {
    name: 'REDIS_SENTINELS',
    option: 'redis.sentinel.sentinels',
    meaning: 'Redis Sentinel host:port list, instead of REDIS_URL',
    main: false,
  },
  { name: 'REDIS_SENTINEL_NAME', option: 'redis.sentinel.name', meaning: 'master group name the sentinels monitor', main: false },
  { name: 'REDIS_CLUSTER_NODES', option: 'redis.cluster.nodes', meaning: 'Redis Cluster node list, instead of REDIS_URL', main: false },
  { name: 'REDIS_PASSWORD', option: 'redis.sentinel.password', meaning: 'password of the Sentinel or Cluster servers', main: false },
  { name: 'REDIS_SENTINEL_PASSWORD', option: 'redis.sentinel.sentinelPassword', meaning: 'password of the sentinels', main: false },
];

/** `words` joined by spaces into lines of at most `width` characters, each starting with `indent`. */
function wrap(words: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(`${indent}${word}`);
  }
  return lines;
}

/**
 * The "Environment" section of the help: each main variable with what it means and its default,
 * then the others by name; lines fit in 80 columns.
 */
export function formatEnvironmentHelp(): string {
  const main = DLQ_ENVIRONMENT.filter((v) => v.main);
  const width = Math.max(...main.map((v) => v.name.length));
  const column = ' '.repeat(width + 4);
  const others = DLQ_ENVIRONMENT.filter((v) => !v.main).map((v) => v.name);
  return [
    '',
    'Environment (read as the services read them):',
    ...main.flatMap((v) => [`  ${v.name.padEnd(width)}  ${v.meaning}`, `${column}default: ${v.default}`]),
    ...wrap(`Also read and checked, with no effect here: ${others.join(', ')}.`.split(' '), 80, '  '),
  ].join('\n');
}

/** The environment variable behind a module option path (`rabbitmq.url` -> `RABBITMQ_URL`), if any. */
export function environmentVariableOf(option: string): string | undefined {
  return DLQ_ENVIRONMENT.find((v) => v.option === option)?.name;
}
