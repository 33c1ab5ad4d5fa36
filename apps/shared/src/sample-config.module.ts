import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RedisModule } from '@nestjs-modules/ioredis';
import { CorrelationIdMiddleware, EventBusModule, eventBusOptionsFromEnv, type EventBusOptions } from 'nestjs-event-bus';
import { TerminusModule } from '@nestjs/terminus';
import { MonitoringController } from './monitoring.controller';
import { RedisErrorLogger } from './redis-error-logger';
import { TimelineInterceptor } from './timeline.interceptor';

/** Every HTTP route takes and echoes `x-correlation-id`. */
@Module({})
class CorrelationModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}

/** Logs the service's own Redis connection going and coming, instead of ioredis's unhandled error events. */
@Module({ providers: [RedisErrorLogger] })
class RedisErrorLoggerModule {}

/** Health and metrics endpoints. */
@Module({ imports: [TerminusModule], controllers: [MonitoringController] })
class MonitoringModule {}

/**
 * What every sample service imports: configuration from the environment (`@nestjs/config`),
 * the event bus, the service's own Redis connection (`@nestjs-modules/ioredis`), the
 * correlation middleware, and `GET /health` and `GET /metrics`.
 */
export function sampleInfrastructure(
  serviceName: string,
  overrides: Partial<EventBusOptions> = {},
): Array<DynamicModule | Promise<DynamicModule>> {
  return [
    ConfigModule.forRoot({ isGlobal: true }),
    EventBusModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const options = eventBusOptionsFromEnv(process.env, config.get('SERVICE_NAME') ?? serviceName);
        return { ...options, ...overrides, interceptors: [TimelineInterceptor, ...(overrides.interceptors ?? [])] };
      },
    }),
    RedisModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ type: 'single', url: config.get('REDIS_URL') ?? 'redis://127.0.0.1:6379' }),
    }),
    { module: RedisErrorLoggerModule },
    { module: CorrelationModule },
    { module: MonitoringModule },
  ];
}
