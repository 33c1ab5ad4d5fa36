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
    expect(options.redis?.eventTTL).toBeUndefined();
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
    expect(resolved.redis?.keyPrefix).toBe('events:');
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

  it('names the option a wrong RETRY_BACKOFF sets', () => {
    expect(() => validateEventBusOptions(eventBusOptionsFromEnv({ SERVICE_NAME: 'orders', RETRY_BACKOFF: 'linear' }))).toThrow(
      'rabbitmq.retryBackoff',
    );
  });

  describe('bad variables', () => {
    /** Calls eventBusOptionsFromEnv and returns what it threw (fails the test when nothing is thrown). */
    function errorFor(env: Record<string, string>, serviceName?: string): InvalidEventBusOptionsError {
      try {
        eventBusOptionsFromEnv(env, serviceName);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidEventBusOptionsError);
        return err as InvalidEventBusOptionsError;
      }
      throw new Error('expected eventBusOptionsFromEnv to throw');
    }

    it('reports three bad variables at once, by name, in one error', () => {
      const err = errorFor({ ...FULL_ENV, RETRY_COUNT: 'abc', QUEUE_TYPE: 'x', RABBITMQ_URL: 'http://app:s3cret@rabbit:5672' });

      expect(err.source).toBe('environment');
      expect(err.fields).toEqual(['RABBITMQ_URL', 'RETRY_COUNT', 'QUEUE_TYPE']);
      expect(err.problems).toEqual([
        'RABBITMQ_URL: must be an amqp:// or amqps:// URL (got "http://app:***@rabbit:5672"); sets rabbitmq.url',
        'RETRY_COUNT: must be a number (got "abc"); sets rabbitmq.retryCount',
        'QUEUE_TYPE: must be classic or quorum (got "x"); sets rabbitmq.queueType',
      ]);
      expect(err.message).toBe(
        [
          'Invalid event bus environment variables:',
          '  - Environment variable RABBITMQ_URL must be an amqp:// or amqps:// URL (got "http://app:***@rabbit:5672"); sets rabbitmq.url',
          '  - Environment variable RETRY_COUNT must be a number (got "abc"); sets rabbitmq.retryCount',
          '  - Environment variable QUEUE_TYPE must be classic or quorum (got "x"); sets rabbitmq.queueType',
        ].join('\n'),
      );
      expect(err.name).toBe('InvalidEventBusOptionsError');
    });

    it('checks every variable it reads', () => {
      const err = errorFor({
        SERVICE_NAME: 'my service',
        RABBITMQ_URL: 'redis://broker',
        EVENT_EXCHANGE: 'a*b',
        DEAD_LETTER_EXCHANGE: 'c d',
        RETRY_COUNT: '-1',
        RETRY_DELAY: '2.5',
        RETRY_BACKOFF: 'linear',
        PREFETCH: '0',
        QUEUE_TYPE: 'stream',
        REDIS_URL: 'amqp://cache',
        REDIS_KEY_PREFIX: 'anything goes:',
        EVENT_TTL: '0',
      });

      expect(err.fields).toEqual([
        'SERVICE_NAME',
        'RABBITMQ_URL',
        'EVENT_EXCHANGE',
        'DEAD_LETTER_EXCHANGE',
        'RETRY_COUNT',
        'RETRY_DELAY',
        'RETRY_BACKOFF',
        'PREFETCH',
        'QUEUE_TYPE',
        'REDIS_URL',
        'EVENT_TTL',
      ]);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          'RETRY_COUNT: must be a whole number >= 0 (got "-1"); sets rabbitmq.retryCount',
          'RETRY_DELAY: must be a whole number >= 0 (got "2.5"); sets rabbitmq.retryDelay',
          'RETRY_BACKOFF: must be fixed or exponential (got "linear"); sets rabbitmq.retryBackoff',
          'PREFETCH: must be a whole number >= 1 (got "0"); sets rabbitmq.prefetch',
          'REDIS_URL: must be a redis:// or rediss:// URL (got "amqp://cache"); sets redis.url',
          'EVENT_TTL: must be a whole number >= 1 (got "0"); sets redis.eventTTL',
          `SERVICE_NAME: must be letters, digits, '.', '_' or '-' (got "my service"); sets serviceName`,
        ]),
      );
    });

    it('leaves a service name given as argument to the module validation', () => {
      expect(eventBusOptionsFromEnv({ SERVICE_NAME: 'my service' }, 'dlq-cli').serviceName).toBe('dlq-cli');
      expect(eventBusOptionsFromEnv({}, 'not valid').serviceName).toBe('not valid');
    });

    it('refuses equal exchanges, naming the variable that was set', () => {
      expect(errorFor({ EVENT_EXCHANGE: 'ex', DEAD_LETTER_EXCHANGE: 'ex' }).problems).toEqual([
        'DEAD_LETTER_EXCHANGE: must differ from EVENT_EXCHANGE (both "ex"); sets rabbitmq.deadLetterExchange',
      ]);
      expect(errorFor({ EVENT_EXCHANGE: EVENT_BUS_ENV_DEFAULTS.DEAD_LETTER_EXCHANGE }).fields).toEqual(['EVENT_EXCHANGE']);
    });

    it.each<[string, string, number]>([
      ['RETRY_COUNT', 'retryCount', 0],
      ['RETRY_DELAY', 'retryDelay', 0],
      ['PREFETCH', 'prefetch', 1],
      ['EVENT_TTL', 'eventTTL', 1],
    ])('takes the same lowest %s as the module validation', (name, option, min) => {
      const options = eventBusOptionsFromEnv({ SERVICE_NAME: 'orders', [name]: String(min) });
      const resolved = validateEventBusOptions(options);
      expect({ ...resolved.rabbitmq, ...resolved.redis }).toEqual(expect.objectContaining({ [option]: min }));

      expect(errorFor({ SERVICE_NAME: 'orders', [name]: String(min - 1) }).fields).toEqual([name]);
      const belowMin = eventBusOptionsFromEnv({ SERVICE_NAME: 'orders' });
      if (name === 'EVENT_TTL') belowMin.redis!.eventTTL = min - 1;
      else Object.assign(belowMin.rabbitmq, { [option]: min - 1 });
      expect(() => validateEventBusOptions(belowMin)).toThrow(option);
    });

    it('still reads numbers the way Number() does', () => {
      const options = eventBusOptionsFromEnv({ RETRY_DELAY: ' 1e3 ', PREFETCH: '0x10' });
      expect(options.rabbitmq.retryDelay).toBe(1000);
      expect(options.rabbitmq.prefetch).toBe(16);
    });

    describe('never shows a password', () => {
      it.each([
        ['RABBITMQ_URL', 'http://admin:s3cr3t-pw@host:5672'],
        ['RABBITMQ_URL', 'amqp://admin:s3cr3t-pw@host:notaport'],
        ['RABBITMQ_URL', 'http://admin:pa@s3cr3t-pw@host'],
        ['REDIS_URL', 'amqp://:s3cr3t-pw@cache:6379'],
        ['REDIS_URL', 'redis://:s3cr3t-pw@cache:port'],
      ])('of a wrong %s', (name, value) => {
        const err = errorFor({ [name]: value, RETRY_COUNT: 'x', EVENT_TTL: '-1' });

        expect([...err.fields].sort()).toEqual([name, 'RETRY_COUNT', 'EVENT_TTL'].sort());
        expect(err.message).not.toContain('s3cr3t-pw');
        expect(err.problems.join('\n')).not.toContain('s3cr3t-pw');
        expect(err.stack ?? '').not.toContain('s3cr3t-pw');
      });

      it('of a valid URL whose password was also pasted into another variable', () => {
        const err = errorFor({
          RABBITMQ_URL: 'amqps://app:s3cr3t-pw@rabbit:5671',
          REDIS_URL: 'redis://:r3dis-pw@cache',
          EVENT_EXCHANGE: 's3cr3t-pw',
          DEAD_LETTER_EXCHANGE: 'r3dis-pw!',
          QUEUE_TYPE: 's3cr3t-pw',
        });

        expect(err.fields).toEqual(['DEAD_LETTER_EXCHANGE', 'QUEUE_TYPE']);
        expect(err.message).not.toContain('s3cr3t-pw');
        expect(err.message).not.toContain('r3dis-pw');
      });

      it('of a URL pasted into another variable', () => {
        const err = errorFor({ SERVICE_NAME: 'amqp://admin:s3cr3t-pw@host', PREFETCH: 'amqp://admin:s3cr3t-pw@host' });

        expect(err.fields).toEqual(['SERVICE_NAME', 'PREFETCH']);
        expect(err.message).not.toContain('s3cr3t-pw');
      });
    });
  });
});

describe('eventBusOptionsFromEnv without Redis', () => {
  it('leaves redis out for REDIS_URL=none (any case), so the bus runs without Redis', () => {
    for (const value of ['none', 'NONE', ' None ']) {
      const options = eventBusOptionsFromEnv({ REDIS_URL: value, EVENT_TTL: '60' }, 'svc');
      expect('redis' in options).toBe(false);
      expect(options.rabbitmq.exchange).toBe('events');
    }
  });
});

describe('eventBusOptionsFromEnv with RABBITMQ_URLS', () => {
  const problemsOf = (env: Record<string, string>): readonly string[] => {
    try {
      eventBusOptionsFromEnv(env, 'svc');
    } catch (err) {
      return (err as InvalidEventBusOptionsError).problems;
    }
    throw new Error('expected eventBusOptionsFromEnv to throw');
  };

  it('reads comma-separated node URLs into rabbitmq.urls (spaces trimmed), with no url', () => {
    const options = eventBusOptionsFromEnv({ RABBITMQ_URLS: 'amqp://u:p@a:5672, amqp://u:p@b:5672' }, 'svc');
    expect(options.rabbitmq.urls).toEqual(['amqp://u:p@a:5672', 'amqp://u:p@b:5672']);
    expect('url' in options.rabbitmq).toBe(false);
    expect(validateEventBusOptions(options).rabbitmq.urls).toEqual(['amqp://u:p@a:5672', 'amqp://u:p@b:5672']);
  });

  it('refuses RABBITMQ_URL and RABBITMQ_URLS together', () => {
    expect(problemsOf({ RABBITMQ_URL: 'amqp://a', RABBITMQ_URLS: 'amqp://b' })).toEqual([
      'RABBITMQ_URLS: set either RABBITMQ_URL or RABBITMQ_URLS, not both; sets rabbitmq.urls',
    ]);
  });

  it('names a bad entry and an empty one, passwords masked', () => {
    const problems = problemsOf({ RABBITMQ_URLS: 'amqp://a,,http://u:topsecret@b' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^RABBITMQ_URLS: has an empty entry/);
    expect(problems[1]).toMatch(
      /^RABBITMQ_URLS: must be an amqp:\/\/ or amqps:\/\/ URL \(got "http:\/\/u:\*\*\*@b"\); sets rabbitmq\.urls$/,
    );
    expect(problems.join('\n')).not.toContain('topsecret');
  });
});
