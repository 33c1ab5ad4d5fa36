import { ValidationPipe, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startSampleTelemetry } from './sample-telemetry';
import { writeTimeline } from './timeline';

/**
 * Starts a sample service: request validation (400 with the messages), shutdown on SIGTERM
 * (the bus drains its handlers and publishes), and one `ready` line once it listens.
 */
export async function bootstrapService(module: Type<unknown>, serviceName: string, defaultPort: number): Promise<void> {
  process.env.SERVICE_NAME ??= serviceName;
  // Before Nest starts, so the bus's first publish is already traced.
  startSampleTelemetry();
  const app = await NestFactory.create(module, { logger: ['error', 'warn', 'log'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? defaultPort), '127.0.0.1');
  writeTimeline({ event: 'service', outcome: 'ready', detail: await app.getUrl() });
}
