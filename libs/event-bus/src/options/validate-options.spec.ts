import type { ValueProvider } from '@nestjs/common';
import { EventBusModule } from '../event-bus.module';
import { EVENT_BUS_OPTIONS } from '../event-bus.module-definition';
import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { OPTION_DEFAULTS } from './resolved-options';
import { validateEventBusOptions } from './validate-options';

/** The README's Quick start configuration, verbatim. */
const quickStartExample = () => ({
  serviceName: 'my-service',
  rabbitmq: {
    url: 'amqp://localhost',
    exchange: 'main-exchange',
    deadLetterExchange: 'dlq-exchange',
    retryCount: 3,
    retryDelay: 1000,
  },
  redis: {
    url: 'redis://localhost',
    keyPrefix: 'events:',
    eventTTL: 86400,
  },
});

type Mutable = Record<string, any>;

/** Quick start example with `patch` applied to a deep copy. */
function withOptions(patch: (o: Mutable) => void): Mutable {
  const o = JSON.parse(JSON.stringify(quickStartExample())) as Mutable;
  patch(o);
  return o;
}

/** Runs validation and returns the thrown error (fails the test when nothing is thrown). */
function errorFor(options: unknown): InvalidEventBusOptionsError {
  try {
    validateEventBusOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventBusOptionsError);
    return err as InvalidEventBusOptionsError;
  }
  throw new Error('expected validateEventBusOptions to throw');
}

class SomeDto {}
class SomeInterceptor {
  intercept(): unknown {
    return undefined;
  }
}

describe('validateEventBusOptions', () => {
  describe('valid options', () => {
    it('accepts the Quick start configuration example verbatim and keeps its values', () => {
      const resolved = validateEventBusOptions(quickStartExample());

      expect(resolved.serviceName).toBe('my-service');
      expect(resolved.rabbitmq.url).toBe('amqp://localhost');
      expect(resolved.rabbitmq.exchange).toBe('main-exchange');
      expect(resolved.rabbitmq.deadLetterExchange).toBe('dlq-exchange');
      expect(resolved.rabbitmq.retryCount).toBe(3);
      expect(resolved.rabbitmq.retryDelay).toBe(1000);
      expect(resolved.redis).toEqual({
        url: 'redis://localhost',
        keyPrefix: 'events:',
        eventTTL: 86400,
        connectTimeout: OPTION_DEFAULTS.connectTimeout,
        leaseTimeout: OPTION_DEFAULTS.leaseTimeout,
        tls: undefined,
      });
    });

    it('fills in every default for the optional fields', () => {
      const resolved = validateEventBusOptions({
        serviceName: 'svc',
        rabbitmq: { url: 'amqps://broker', exchange: 'ex', deadLetterExchange: 'dlx' },
        redis: { url: 'rediss://cache' },
      });

      expect(resolved.rabbitmq).toEqual({
        url: 'amqps://broker',
        urls: ['amqps://broker'],
        exchange: 'ex',
        deadLetterExchange: 'dlx',
        retryCount: OPTION_DEFAULTS.retryCount,
        retryDelay: OPTION_DEFAULTS.retryDelay,
        retryBackoff: OPTION_DEFAULTS.retryBackoff,
        prefetch: OPTION_DEFAULTS.prefetch,
        queueType: OPTION_DEFAULTS.queueType,
        messageProperties: 'mirrored',
        tls: undefined,
        publishTimeout: OPTION_DEFAULTS.publishTimeout,
        maxPendingPublishes: OPTION_DEFAULTS.maxPendingPublishes,
        waitForConnection: OPTION_DEFAULTS.waitForConnection,
        connectTimeout: OPTION_DEFAULTS.connectTimeout,
        heartbeat: OPTION_DEFAULTS.heartbeat,
        deliveryLimit: OPTION_DEFAULTS.deliveryLimit,
      });
      expect(resolved.redis).toEqual({
        url: 'rediss://cache',
        keyPrefix: OPTION_DEFAULTS.keyPrefix,
        eventTTL: OPTION_DEFAULTS.eventTTL,
        connectTimeout: OPTION_DEFAULTS.connectTimeout,
        leaseTimeout: OPTION_DEFAULTS.leaseTimeout,
        tls: undefined,
      });
      expect(resolved.schemas).toEqual({});
      expect(resolved.interceptors).toEqual([]);
      expect(resolved.shutdownTimeout).toBe(OPTION_DEFAULTS.shutdownTimeout);
      expect(resolved.maxMessageBytes).toBe(OPTION_DEFAULTS.maxMessageBytes);
      expect(resolved.secrets).toEqual([]);
    });

    it('documents the defaults of docs/api.md (retryCount 3, retryDelay 1000, fixed, classic, events:, 86400)', () => {
      expect(OPTION_DEFAULTS).toMatchObject({
        retryCount: 3,
        retryDelay: 1000,
        retryBackoff: 'fixed',
        queueType: 'classic',
        messageProperties: 'mirrored',
        keyPrefix: 'events:',
        eventTTL: 86400,
      });
    });

    it('keeps explicit values for optional fields instead of the defaults', () => {
      const resolved = validateEventBusOptions(
        withOptions((o) => {
          o.rabbitmq.retryCount = 0;
          o.rabbitmq.retryDelay = 0;
          o.rabbitmq.retryBackoff = 'exponential';
          o.rabbitmq.prefetch = 7;
          o.rabbitmq.queueType = 'quorum';
          o.redis.keyPrefix = '';
          o.redis.eventTTL = 60;
        }),
      );

      expect(resolved.rabbitmq.retryCount).toBe(0);
      expect(resolved.rabbitmq.retryDelay).toBe(0);
      expect(resolved.rabbitmq.retryBackoff).toBe('exponential');
      expect(resolved.rabbitmq.prefetch).toBe(7);
      expect(resolved.rabbitmq.queueType).toBe('quorum');
      expect(resolved.redis?.keyPrefix).toBe('');
      expect(resolved.redis?.eventTTL).toBe(60);
    });

    it('accepts schemas of classes and interceptors classes, copying them', () => {
      const schemas = { USER_CREATED: SomeDto };
      const interceptors = [SomeInterceptor];
      const resolved = validateEventBusOptions({ ...quickStartExample(), schemas, interceptors });

      expect(resolved.schemas).toEqual({ USER_CREATED: SomeDto });
      expect(resolved.schemas).not.toBe(schemas);
      expect(resolved.interceptors).toEqual([SomeInterceptor]);
      expect(resolved.interceptors).not.toBe(interceptors);
    });

    it('collects the (decoded) passwords of both URLs in secrets', () => {
      const resolved = validateEventBusOptions(
        withOptions((o) => {
          o.rabbitmq.url = 'amqp://admin:s3cr3t-pw@host:5672';
          o.redis.url = 'redis://:r3d%40s-pw@cache:6379';
        }),
      );

      expect(resolved.secrets).toEqual(['s3cr3t-pw', 'r3d@s-pw']);
    });

    it('has no secret for a URL without a password', () => {
      const resolved = validateEventBusOptions(
        withOptions((o) => {
          o.rabbitmq.url = 'amqp://guest@host';
          o.redis.url = 'redis://:only-redis-pw@cache';
        }),
      );

      expect(resolved.secrets).toEqual(['only-redis-pw']);
    });
  });

  describe('invalid options', () => {
    it('refuses a non-object', () => {
      for (const bad of [undefined, null, 'amqp://localhost', [], 42]) {
        const err = errorFor(bad);
        expect(err.fields).toEqual(['options']);
      }
    });

    const cases: Array<[string, (o: Mutable) => void]> = [
      ['serviceName', (o) => delete o.serviceName],
      ['serviceName', (o) => (o.serviceName = '')],
      ['serviceName', (o) => (o.serviceName = 'my service')],
      ['serviceName', (o) => (o.serviceName = 42)],
      ['rabbitmq', (o) => delete o.rabbitmq],
      ['rabbitmq', (o) => (o.rabbitmq = 'amqp://localhost')],
      ['rabbitmq.url', (o) => delete o.rabbitmq.url],
      ['rabbitmq.url', (o) => (o.rabbitmq.url = '')],
      ['rabbitmq.url', (o) => (o.rabbitmq.url = 'not a url')],
      ['rabbitmq.url', (o) => (o.rabbitmq.url = 'http://localhost')],
      ['rabbitmq.url', (o) => (o.rabbitmq.url = 'redis://localhost')],
      ['rabbitmq.exchange', (o) => delete o.rabbitmq.exchange],
      ['rabbitmq.exchange', (o) => (o.rabbitmq.exchange = 'a*b')],
      ['rabbitmq.deadLetterExchange', (o) => delete o.rabbitmq.deadLetterExchange],
      ['rabbitmq.deadLetterExchange', (o) => (o.rabbitmq.deadLetterExchange = o.rabbitmq.exchange)],
      ['rabbitmq.retryCount', (o) => (o.rabbitmq.retryCount = -1)],
      ['rabbitmq.retryCount', (o) => (o.rabbitmq.retryCount = 1.5)],
      ['rabbitmq.retryCount', (o) => (o.rabbitmq.retryCount = '3')],
      ['rabbitmq.retryDelay', (o) => (o.rabbitmq.retryDelay = -5)],
      ['rabbitmq.retryBackoff', (o) => (o.rabbitmq.retryBackoff = 'linear')],
      ['rabbitmq.queueType', (o) => (o.rabbitmq.queueType = 'stream')],
      ['rabbitmq.messageProperties', (o) => (o.rabbitmq.messageProperties = 'none')],
      ['rabbitmq.prefetch', (o) => (o.rabbitmq.prefetch = 0)],
      ['rabbitmq.prefetch', (o) => (o.rabbitmq.prefetch = 'many')],
      ['redis', (o) => (o.redis = 'redis://localhost')],
      ['redis.url', (o) => delete o.redis.url],
      ['redis.url', (o) => (o.redis.url = 'amqp://localhost')],
      ['redis.keyPrefix', (o) => (o.redis.keyPrefix = 5)],
      ['redis.eventTTL', (o) => (o.redis.eventTTL = 0)],
      ['redis.eventTTL', (o) => (o.redis.eventTTL = '1d')],
      ['schemas', (o) => (o.schemas = [SomeDto])],
      ['schemas.USER_CREATED', (o) => (o.schemas = { USER_CREATED: 'SomeDto' })],
      ['interceptors', (o) => (o.interceptors = SomeInterceptor)],
      ['interceptors', (o) => (o.interceptors = [SomeInterceptor, 'x'])],
    ];

    it.each(cases)('names %s in fields and message', (field, patch) => {
      const err = errorFor(withOptions(patch));

      expect(err.fields).toEqual([field]);
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0].startsWith(`${field}: `)).toBe(true);
      expect(err.message).toContain(`- ${field}: `);
      expect(err.name).toBe('InvalidEventBusOptionsError');
    });

    it('names the schema entry of an event type that contains a colon', () => {
      // Event types may contain ':' (publishable-event check and PublishableEvent docs).
      const err = errorFor(withOptions((o) => (o.schemas = { 'order:created': 'not a class' })));

      expect(err.fields).toEqual(['schemas.order:created']);
    });

    it('reports several problems at once, each naming its path', () => {
      const err = errorFor({
        serviceName: '',
        rabbitmq: { url: 'http://localhost', exchange: 'ex', deadLetterExchange: 'dlx', retryCount: -1, queueType: 'x' },
        redis: { url: 'redis://localhost', eventTTL: -3 },
        interceptors: 'nope',
      });

      expect(err.fields).toEqual([
        'serviceName',
        'rabbitmq.url',
        'rabbitmq.retryCount',
        'rabbitmq.queueType',
        'redis.eventTTL',
        'interceptors',
      ]);
      for (const field of err.fields) expect(err.message).toContain(`- ${field}: `);
    });

    it('reports a missing rabbitmq; redis may be left out', () => {
      const err = errorFor({ serviceName: 'svc' });
      expect(err.fields).toEqual(['rabbitmq']);
    });

    it('resolves options without redis: no Redis, no ledger, no cache', () => {
      const resolved = validateEventBusOptions(withOptions((o) => delete o.redis));
      expect(resolved.redis).toBeUndefined();
      expect(resolved.rabbitmq.url).toBe(quickStartExample().rabbitmq.url);
    });

    it('quotes the wrong value it got, so the user sees what to fix', () => {
      const err = errorFor(withOptions((o) => (o.rabbitmq.queueType = 'stream')));
      expect(err.message).toContain('"stream"');
      expect(err.message).toContain('"classic"');
      expect(err.message).toContain('"quorum"');
    });

    describe('never shows a password', () => {
      it.each([
        ['wrong scheme', 'http://admin:s3cr3t-pw@host'],
        ['invalid URL', 'amqp://admin:s3cr3t-pw@host:notaport'],
        ['redis scheme', 'redis://admin:s3cr3t-pw@host:6379'],
      ])('in rabbitmq.url (%s)', (_label, url) => {
        const err = errorFor(withOptions((o) => (o.rabbitmq.url = url)));

        expect(err.fields).toEqual(['rabbitmq.url']);
        expect(err.message).not.toContain('s3cr3t-pw');
        expect(err.problems.join('\n')).not.toContain('s3cr3t-pw');
        // A parsable URL is quoted masked; an unparsable one only by its scheme.
        expect(err.message).toMatch(/admin:\*\*\*@host|got "amqp:…"/);
      });

      it.each([
        ['a raw "@"', 'http://admin:pa@ssword@host'],
        ['a raw "/"', 'amqp://admin:pa/ssword@host'],
      ])('in rabbitmq.url whose password contains %s', (_label, url) => {
        const err = errorFor(withOptions((o) => (o.rabbitmq.url = url)));

        expect(err.fields).toEqual(['rabbitmq.url']);
        expect(err.message).not.toContain('ssword');
      });

      it('in redis.url', () => {
        const err = errorFor(withOptions((o) => (o.redis.url = 'amqp://:r3dis-pw@cache')));

        expect(err.fields).toEqual(['redis.url']);
        expect(err.message).not.toContain('r3dis-pw');
        expect(err.message).toContain(':***@cache');
      });

      it('when a URL is given where a name is expected', () => {
        const err = errorFor(withOptions((o) => (o.serviceName = 'amqp://admin:s3cr3t-pw@host:5672')));

        expect(err.fields).toEqual(['serviceName']);
        expect(err.message).not.toContain('s3cr3t-pw');
      });

      it('while the valid URL of the same options is not quoted at all', () => {
        const err = errorFor(
          withOptions((o) => {
            o.rabbitmq.url = 'amqp://admin:s3cr3t-pw@host:5672';
            o.redis.url = 'http://user:other-pw@cache';
          }),
        );

        expect(err.fields).toEqual(['redis.url']);
        expect(err.message).not.toContain('s3cr3t-pw');
        expect(err.message).not.toContain('other-pw');
      });
    });
  });

  describe('unknown keys', () => {
    it.each<[string, (o: Mutable) => void, string]>([
      ['the top level', (o) => (o.serviceNme = 'svc'), 'serviceNme: unknown option; did you mean serviceName?'],
      ['the top level', (o) => (o.shutdown_timeout = 5), 'shutdown_timeout: unknown option; did you mean shutdownTimeout?'],
      ['rabbitmq', (o) => (o.rabbitmq.retryDelayy = 10), 'rabbitmq.retryDelayy: unknown option; did you mean rabbitmq.retryDelay?'],
      ['rabbitmq', (o) => (o.rabbitmq.perfetch = 10), 'rabbitmq.perfetch: unknown option; did you mean rabbitmq.prefetch?'],
      ['redis', (o) => (o.redis.eventTtl = 60), 'redis.eventTtl: unknown option; did you mean redis.eventTTL?'],
      ['redis', (o) => (o.redis.keyprefix = 'x:'), 'redis.keyprefix: unknown option; did you mean redis.keyPrefix?'],
      [
        'monitoring',
        (o) => (o.monitoring = { deadLetterTreshold: 5 }),
        'monitoring.deadLetterTreshold: unknown option; did you mean monitoring.deadLetterThreshold?',
      ],
    ])('refuses a misspelt key of %s, suggesting the valid one', (_level, patch, problem) => {
      const err = errorFor(withOptions(patch));

      expect(err.problems).toEqual([problem]);
      expect(err.message).toContain(`- ${problem}`);
    });

    it.each<[string, (o: Mutable) => void, string, string[]]>([
      ['the top level', (o) => (o.colour = 'blue'), 'colour', ['serviceName', 'rabbitmq', 'monitoring']],
      ['rabbitmq', (o) => (o.rabbitmq.ttl = 5), 'rabbitmq.ttl', ['url', 'tls', 'heartbeat']],
      ['redis', (o) => (o.redis.password = 'x'), 'redis.password', ['url', 'keyPrefix', 'leaseTimeout']],
      ['monitoring', (o) => (o.monitoring = { alert: () => undefined }), 'monitoring.alert', ['checkInterval']],
    ])('refuses a far-off key of %s without a bogus suggestion, listing the known ones', (_level, patch, field, known) => {
      const err = errorFor(withOptions(patch));

      expect(err.fields).toEqual([field]);
      expect(err.problems[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')}: unknown option; known options: `));
      expect(err.problems[0]).not.toContain('did you mean');
      for (const key of known) expect(err.problems[0]).toContain(key);
    });

    it('lists the known keys of the level only', () => {
      const err = errorFor(withOptions((o) => (o.monitoring = { alert: 1 })));

      expect(err.problems).toEqual([
        'monitoring.alert: unknown option; known options: deadLetterThreshold, onDeadLetterThreshold, checkInterval',
      ]);
    });

    it('reports unknown keys at every level together with every other problem', () => {
      const err = errorFor({
        serviceName: 'svc',
        serviceNmae: 'svc',
        rabbitmq: { url: 'amqp://localhost', exchange: 'ex', deadLetterExchange: 'dlx', retryCount: -1, retryDelayy: 10 },
        redis: { url: 'http://localhost', keyPrefx: 'x:' },
        monitoring: { checkInterval: 5, checkIntervall: 100 },
      });

      expect(err.fields).toEqual([
        'rabbitmq.retryCount',
        'rabbitmq.retryDelayy',
        'redis.url',
        'redis.keyPrefx',
        'monitoring.checkInterval',
        'monitoring.checkIntervall',
        'serviceNmae',
      ]);
      expect(err.problems).toContain('redis.keyPrefx: unknown option; did you mean redis.keyPrefix?');
      expect(err.problems).toContain('monitoring.checkIntervall: unknown option; did you mean monitoring.checkInterval?');
      for (const field of err.fields) expect(err.message).toContain(`- ${field}: `);
    });

    it('refuses an unknown key even when its value is undefined', () => {
      const err = errorFor(withOptions((o) => (o.rabbitmq = { ...o.rabbitmq, retryDelayy: undefined })));
      expect(err.fields).toEqual(['rabbitmq.retryDelayy']);
    });

    it('quotes a key that is not a plain name, masking a URL password in it', () => {
      const err = errorFor(withOptions((o) => (o['amqp://admin:s3cr3t-pw@host'] = true)));

      expect(err.problems).toEqual([expect.stringMatching(/^"amqp:\/\/admin:\*\*\*@host": unknown option; /)]);
      expect(err.message).not.toContain('s3cr3t-pw');
    });

    it('accepts every documented key at every level', () => {
      expect(() =>
        validateEventBusOptions({
          serviceName: 'svc',
          rabbitmq: {
            url: 'amqps://broker',
            exchange: 'ex',
            deadLetterExchange: 'dlx',
            retryCount: 1,
            retryDelay: 1,
            retryBackoff: 'exponential',
            prefetch: 1,
            queueType: 'quorum',
            tls: {},
            publishTimeout: 1,
            maxPendingPublishes: 1,
            waitForConnection: false,
            connectTimeout: 1,
            heartbeat: 1,
            deliveryLimit: 1,
          },
          redis: { url: 'rediss://cache', keyPrefix: 'k:', eventTTL: 1, tls: {}, connectTimeout: 1, leaseTimeout: 100 },
          schemas: { USER_CREATED: SomeDto },
          interceptors: [SomeInterceptor],
          shutdownTimeout: 0,
          maxMessageBytes: 1024,
          monitoring: { deadLetterThreshold: 1, onDeadLetterThreshold: () => undefined, checkInterval: 100 },
        }),
      ).not.toThrow();
    });

    it('gets no isGlobal from forRoot: Nest removes it before the options are validated', () => {
      const module = EventBusModule.forRoot({ ...quickStartExample(), isGlobal: false });
      const provider = (module.providers ?? []).find(
        (p): p is ValueProvider => typeof p === 'object' && 'useValue' in p && p.provide === EVENT_BUS_OPTIONS,
      );

      expect(module.global).toBe(false);
      expect(provider?.useValue).toEqual(quickStartExample());
      expect(() => validateEventBusOptions(provider?.useValue)).not.toThrow();
    });

    it('refuses isGlobal inside the options (a forRootAsync factory returned it), saying where it belongs', () => {
      const err = errorFor({ ...quickStartExample(), isGlobal: false });

      expect(err.problems).toEqual([
        'isGlobal: unknown option; isGlobal belongs to the argument of forRoot() / forRootAsync() itself; inside the options it has no effect',
      ]);
    });
  });
});
