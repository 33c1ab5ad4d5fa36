import type { EventBusOptions } from '../interfaces/event-bus-options.interface';

/** Environment variables read by {@link eventBusOptionsFromEnv}, with their defaults. */
export const EVENT_BUS_ENV_DEFAULTS = {
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  EVENT_EXCHANGE: 'events',
  DEAD_LETTER_EXCHANGE: 'events.dlx',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: 'events:',
} as const;

type Env = Record<string, string | undefined>;

function optionalNumber(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`Environment variable ${name} must be a number (got ${JSON.stringify(raw)})`);
  return value;
}

/**
 * Module options from the environment, as the sample services and the `dlq` command read
 * them: SERVICE_NAME, RABBITMQ_URL, EVENT_EXCHANGE, DEAD_LETTER_EXCHANGE, RETRY_COUNT,
 * RETRY_DELAY, RETRY_BACKOFF, PREFETCH, QUEUE_TYPE, REDIS_URL, REDIS_KEY_PREFIX, EVENT_TTL.
 * Everything is still validated by the module, so a bad value fails with the field's name.
 */
export function eventBusOptionsFromEnv(env: Env = process.env, serviceName = env.SERVICE_NAME ?? ''): EventBusOptions {
  const d = EVENT_BUS_ENV_DEFAULTS;
  return {
    serviceName,
    rabbitmq: {
      url: env.RABBITMQ_URL || d.RABBITMQ_URL,
      exchange: env.EVENT_EXCHANGE || d.EVENT_EXCHANGE,
      deadLetterExchange: env.DEAD_LETTER_EXCHANGE || d.DEAD_LETTER_EXCHANGE,
      retryCount: optionalNumber(env, 'RETRY_COUNT'),
      retryDelay: optionalNumber(env, 'RETRY_DELAY'),
      retryBackoff: (env.RETRY_BACKOFF || undefined) as 'fixed' | 'exponential' | undefined,
      prefetch: optionalNumber(env, 'PREFETCH'),
      queueType: (env.QUEUE_TYPE || undefined) as 'classic' | 'quorum' | undefined,
    },
    redis: {
      url: env.REDIS_URL || d.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX ?? d.REDIS_KEY_PREFIX,
      eventTTL: optionalNumber(env, 'EVENT_TTL'),
    },
  };
}
