import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BrokerConnectionError, EventBus, EventBusModule, InvalidEventBusOptionsError, type EventBusOptions } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { testOptions } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';

const topology = uniqueTopology('config');

/** A configuration provider such as a ConfigService wrapper. */
@Injectable()
class BusConfig {
  readonly serviceName = uniqueName('cfg');
  options(): EventBusOptions {
    return testOptions(this.serviceName, topology);
  }
}

@Module({ providers: [BusConfig], exports: [BusConfig] })
class BusConfigModule {}

/** For useClass / useExisting: Nest calls createEventBusOptions(). */
@Injectable()
class BusOptionsFactory {
  createEventBusOptions(): EventBusOptions {
    return testOptions(uniqueName('factory'), topology);
  }
}

@Module({ providers: [BusOptionsFactory], exports: [BusOptionsFactory] })
class BusOptionsFactoryModule {}

async function bootAndPublish(imports: unknown[], providers: unknown[] = []): Promise<string> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[], providers: providers as never[] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  try {
    const published = await app.get(EventBus).publish({ type: 'CONFIGURED', data: { ok: true } });
    return published.metadata.source;
  } finally {
    await app.close();
  }
}

describe('EventBusModule configuration', () => {
  afterAll(async () => {
    const raw = await RawAmqp.connect();
    await raw.cleanup({ exchanges: [topology.exchange, topology.deadLetterExchange] });
    await raw.close();
  });

  it('forRoot with the seed-shaped options', async () => {
    const name = uniqueName('root');
    expect(await bootAndPublish([EventBusModule.forRoot(testOptions(name, topology))])).toBe(name);
  });

  it('forRootAsync with useFactory, inject and imports', async () => {
    const source = await bootAndPublish([
      EventBusModule.forRootAsync({
        imports: [BusConfigModule],
        inject: [BusConfig],
        useFactory: (config: BusConfig) => config.options(),
      }),
    ]);
    expect(source).toMatch(/^t-cfg-/);
  });

  it('forRootAsync with useClass', async () => {
    expect(await bootAndPublish([EventBusModule.forRootAsync({ useClass: BusOptionsFactory })])).toMatch(/^t-factory-/);
  });

  it('forRootAsync with useExisting', async () => {
    const source = await bootAndPublish([
      EventBusModule.forRootAsync({ imports: [BusOptionsFactoryModule], useExisting: BusOptionsFactory }),
    ]);
    expect(source).toMatch(/^t-factory-/);
  });

  it('is global: a feature module injects EventBus without importing the module', async () => {
    @Injectable()
    class Feature {
      constructor(readonly bus: EventBus) {}
    }
    @Module({ providers: [Feature], exports: [Feature] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [EventBusModule.forRoot(testOptions(uniqueName('global'), topology)), FeatureModule],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(app.get(Feature).bus).toBeInstanceOf(EventBus);
    await app.close();
  });

  it('fails at bootstrap naming every bad field, never printing the password', async () => {
    const password = 'Sup3r-s3cret-pw';
    const bad = {
      serviceName: 'has spaces',
      rabbitmq: {
        url: `http://admin:${password}@broker:5672`,
        exchange: '',
        deadLetterExchange: 'dlx',
        retryCount: -1,
        queueType: 'stream',
      },
      redis: { url: `redis://:${password}@cache:6379`, eventTTL: 0 },
    } as unknown as EventBusOptions;
    const attempt = Test.createTestingModule({ imports: [EventBusModule.forRoot(bad)] }).compile();
    const error: InvalidEventBusOptionsError = await attempt.then(
      () => {
        throw new Error('bootstrap should have failed');
      },
      (e: InvalidEventBusOptionsError) => e,
    );
    expect(error).toBeInstanceOf(InvalidEventBusOptionsError);
    expect(error.fields).toEqual(
      expect.arrayContaining([
        'serviceName',
        'rabbitmq.url',
        'rabbitmq.exchange',
        'rabbitmq.retryCount',
        'rabbitmq.queueType',
        'redis.eventTTL',
      ]),
    );
    expect(error.message).toContain('rabbitmq.url');
    expect(error.message).not.toContain(password);
    expect(error.stack ?? '').not.toContain(password);
  });

  it('fails at bootstrap on an unknown option, naming it and the closest valid one', async () => {
    const options = testOptions(uniqueName('typo'), topology);
    const attempt = Test.createTestingModule({
      imports: [
        EventBusModule.forRootAsync({
          isGlobal: true,
          useFactory: () => ({ ...options, rabbitmq: { ...options.rabbitmq, retryDelayy: 10 }, colour: 'blue' }) as EventBusOptions,
        }),
      ],
    }).compile();
    const error: InvalidEventBusOptionsError = await attempt.then(
      () => {
        throw new Error('bootstrap should have failed');
      },
      (e: InvalidEventBusOptionsError) => e,
    );
    expect(error).toBeInstanceOf(InvalidEventBusOptionsError);
    expect(error.problems).toEqual([
      'rabbitmq.retryDelayy: unknown option; did you mean rabbitmq.retryDelay?',
      expect.stringMatching(/^colour: unknown option; known options: serviceName, rabbitmq, redis, /),
    ]);
  });

  it('accepts isGlobal on forRoot: it never reaches the options check', async () => {
    const name = uniqueName('local');
    expect(await bootAndPublish([EventBusModule.forRoot({ ...testOptions(name, topology), isGlobal: false })])).toBe(name);
  });

  it('fails at bootstrap when the broker refuses the credentials, without printing the password', async () => {
    const password = 'wr0ng-pa55word';
    const options = testOptions(uniqueName('auth'), topology, {
      rabbitmq: {
        url: `amqp://guest:${password}@127.0.0.1:5672`,
        exchange: topology.exchange,
        deadLetterExchange: topology.deadLetterExchange,
        connectTimeout: 5000,
      },
    });
    const logged: string[] = [];
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const attempt = Test.createTestingModule({ imports: [EventBusModule.forRoot(options)] })
      .setLogger({ log: capture, error: capture, warn: capture, debug: capture, verbose: capture })
      .compile();
    const error = await attempt.then(
      () => {
        throw new Error('bootstrap should have failed');
      },
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(BrokerConnectionError);
    expect(error.message).toContain('amqp://guest:***@127.0.0.1:5672');
    expect(error.message).toMatch(/ACCESS.REFUSED|403/);
    // A refused login fails at once and says so, rather than blaming a timeout.
    expect((error as BrokerConnectionError).reason).toBe('refused');
    expect(error.message).toMatch(/refused the login/);
    expect(error.message).not.toMatch(/within \d+ ms/);
    expect(error.message).not.toContain(password);
    expect(logged.join('\n')).not.toContain(password);
  });

  it('fails at bootstrap when nothing listens, within connectTimeout', async () => {
    const options = testOptions(uniqueName('down'), topology, {
      rabbitmq: {
        url: 'amqp://guest:guest@127.0.0.1:1',
        exchange: topology.exchange,
        deadLetterExchange: topology.deadLetterExchange,
        connectTimeout: 1500,
      },
    });
    await expect(Test.createTestingModule({ imports: [EventBusModule.forRoot(options)] }).compile()).rejects.toThrow(
      /Could not connect to RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 within 1500 ms/,
    );
  });
});
