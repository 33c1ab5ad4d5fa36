import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { validateEventBusOptions } from '../options/validate-options';
import { EVENT_BUS_ENV_DEFAULTS, eventBusOptionsFromEnv } from './event-bus-options.from-env';

const FULL_ENV = {
  SERVICE_NAME: 'orders',
  RABBITMQ_URL: 'amqps://app:s3cret@rabbit.internal:5671/prod',
  EVENT_EXCHANGE: 'domain-events',
  DEAD_LETTER_EXCHANGE: 'domain-events.dlx',
  RETRY_COUNT: '5',
  RETRY_DELAY: '250',
  RETRY_BACKOFF: 'exponential',
  PREFETCH: '20',
  QUEUE_TYPE: 'quorum',
  REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
  REDIS_KEY_PREFIX: 'orders:',
  EVENT_TTL: '3600',
};

describe('eventBusOptionsFromEnv', () => {
  it('uses the defaults with an empty environment', () => {
    expect(eventBusOptionsFromEnv({})).toEqual({
      serviceName: '',
      rabbitmq: {
        url: 'amqp://guest:guest@127.0.0.1:5672',
        exchange: 'events',
        deadLetterExchange: 'events.dlx',
        retryCount: undefined,
        retryDelay: undefined,
        retryBackoff: undefined,
        prefetch: undefined,
        queueType: undefined,
      },
      redis: {
        url: 'redis://127.0.0.1:6379',
        keyPrefix: 'events:',
        eventTTL: undefined,
      },
    });
    expect(EVENT_BUS_ENV_DEFAULTS.RABBITMQ_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it('maps every variable to its option', () => {
    expect(eventBusOptionsFromEnv(FULL_ENV)).toEqual({
      serviceName: 'orders',
      rabbitmq: {
        url: 'amqps://app:s3cret@rabbit.internal:5671/prod',
        exchange: 'domain-events',
        deadLetterExchange: 'domain-events.dlx',
        retryCount: 5,
        retryDelay: 250,
        retryBackoff: 'exponential',
        prefetch: 20,
        queueType: 'quorum',
      },
      redis: {
        url: 'rediss://:pw@redis.internal:6380/2',
        keyPrefix: 'orders:',
        eventTTL: 3600,
      },
    });
  });

  it('treats empty variables as unset', () => {
    const options = eventBusOptionsFromEnv({
      RABBITMQ_URL: '',
      EVENT_EXCHANGE: '',
      RETRY_COUNT: '',
      RETRY_BACKOFF: '',
      QUEUE_TYPE: '',
      EVENT_TTL: '',
    });
    expect(options.rabbitmq.url).toBe(EVENT_BUS_ENV_DEFAULTS.RABBITMQ_URL);
    expect(options.rabbitmq.exchange).toBe('events');
    expect(options.rabbitmq.retryCount).toBeUndefined();
    expect(options.rabbitmq.retryBackoff).toBeUndefined();
    expect(options.rabbitmq.queueType).toBeUndefined();
    expect(options.redis.eventTTL).toBeUndefined();
  });

  it('takes the service name from the second argument over SERVICE_NAME', () => {
    expect(eventBusOptionsFromEnv({ SERVICE_NAME: 'orders' }, 'dlq-cli').serviceName).toBe('dlq-cli');
  });

  it.each(['RETRY_COUNT', 'RETRY_DELAY', 'PREFETCH', 'EVENT_TTL'])('throws naming %s when it is not a number', (name) => {
    expect(() => eventBusOptionsFromEnv({ [name]: 'three' })).toThrow(`Environment variable ${name} must be a number (got "three")`);
  });

  it('throws for a non-numeric RETRY_COUNT even when everything else is fine', () => {
    expect(() => eventBusOptionsFromEnv({ ...FULL_ENV, RETRY_COUNT: 'lots' })).toThrow(/RETRY_COUNT/);
  });

  it('produces options that pass validateEventBusOptions when SERVICE_NAME is set (defaults)', () => {
    const resolved = validateEventBusOptions(eventBusOptionsFromEnv({ SERVICE_NAME: 'orders' }));
    expect(resolved.serviceName).toBe('orders');
    expect(resolved.rabbitmq.retryCount).toBe(3);
    expect(resolved.redis.keyPrefix).toBe('events:');
  });

  it('produces options that pass validateEventBusOptions when SERVICE_NAME is set (every variable)', () => {
    const resolved = validateEventBusOptions(eventBusOptionsFromEnv(FULL_ENV));
    expect(resolved.rabbitmq).toEqual(
      expect.objectContaining({ retryCount: 5, retryDelay: 250, retryBackoff: 'exponential', prefetch: 20, queueType: 'quorum' }),
    );
    expect(resolved.redis).toEqual(expect.objectContaining({ keyPrefix: 'orders:', eventTTL: 3600 }));
  });

  it('leaves SERVICE_NAME to the module validation when it is missing', () => {
    const error = (() => {
      try {
        validateEventBusOptions(eventBusOptionsFromEnv({}));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidEventBusOptionsError);
    expect((error as InvalidEventBusOptionsError).fields).toEqual(['serviceName']);
  });

  it('leaves a wrong RETRY_BACKOFF to the module validation, which names the option', () => {
    expect(() => validateEventBusOptions(eventBusOptionsFromEnv({ SERVICE_NAME: 'orders', RETRY_BACKOFF: 'linear' }))).toThrow(
      'rabbitmq.retryBackoff',
    );
  });
});
