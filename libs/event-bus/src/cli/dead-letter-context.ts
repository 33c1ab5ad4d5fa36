import { NestFactory } from '@nestjs/core';
import { eventBusOptionsFromEnv } from '../config/event-bus-options.from-env';
import { DeadLetterService } from '../dead-letters/dead-letter.service';
import { EventBusModule } from '../event-bus.module';
import { DLQ_SERVICE_NAME_DEFAULT } from './dlq-environment';

/** The `DeadLetterService` of an event-bus application, and the way to shut that down. */
export interface DeadLetterContext {
  deadLetters: DeadLetterService;
  close(): Promise<void>;
}

/**
 * Starts the event bus from the environment variables, as the services read them, and hands
 * out its `DeadLetterService`. Connection and configuration failures are thrown (with URL
 * passwords masked) instead of being logged: Nest's own logging is off and it does not exit.
 */
export async function openDeadLetterContext(env: Record<string, string | undefined>): Promise<DeadLetterContext> {
  const options = eventBusOptionsFromEnv(env, env.SERVICE_NAME || DLQ_SERVICE_NAME_DEFAULT);
  const app = await NestFactory.createApplicationContext(EventBusModule.forRoot(options), { logger: false, abortOnError: false });
  return { deadLetters: app.get(DeadLetterService), close: () => app.close() };
}
