import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventBus, EventBusModule, type EventBusOptions } from 'nestjs-event-bus';
import { RABBITMQ_URL, REDIS_URL, type TestTopology } from './test-names';
import { testLogger, type CapturingLogger } from './test-logger';

/** Module options for a test service on the shared broker, with test-sized delays. */
export function testOptions(serviceName: string, topology: TestTopology, overrides: Partial<EventBusOptions> = {}): EventBusOptions {
  return {
    serviceName,
    ...overrides,
    rabbitmq: {
      url: RABBITMQ_URL,
      exchange: topology.exchange,
      deadLetterExchange: topology.deadLetterExchange,
      retryDelay: 50,
      ...overrides.rabbitmq,
    },
    redis: { url: REDIS_URL, keyPrefix: topology.keyPrefix, ...overrides.redis },
  };
}

/** A running Nest application (one "service instance") with its bus. */
export interface TestService {
  app: INestApplication;
  bus: EventBus;
  /** What the application logged (printed only with TEST_VERBOSE). */
  logger: CapturingLogger;
  close(): Promise<void>;
}

/** Starts a Nest application importing `EventBusModule.forRoot(options)` plus the given parts. */
export async function startService(
  options: EventBusOptions,
  metadata: ModuleMetadata = {},
  eventBusModule: DynamicModule = EventBusModule.forRoot(options),
): Promise<TestService> {
  const logger = testLogger();
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [eventBusModule, ...(metadata.imports ?? [])],
  })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  try {
    await app.init();
  } catch (err) {
    // A failed start (say, a handler refused at bootstrap) must not leave connections open.
    await app.close().catch(() => undefined);
    throw err;
  }
  let closed = false;
  return {
    app,
    bus: app.get(EventBus),
    logger,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
