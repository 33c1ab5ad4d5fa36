import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigurableEventBusModule } from './event-bus.module-definition';
import { EVENT_BUS_CORE_PROVIDERS, EVENT_BUS_EXPORTS, RABBITMQ_REDIS_PROVIDERS } from './event-bus.providers';

/**
 * The event bus. Import once, in the root module:
 *
 * ```ts
 * EventBusModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ serviceName: 'auth', rabbitmq: {...}, redis: {...} }),
 * })
 * ```
 * Options are validated while the application is built; the broker connection is opened
 * then too, so a wrong URL or password fails the start.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [...RABBITMQ_REDIS_PROVIDERS, ...EVENT_BUS_CORE_PROVIDERS],
  exports: EVENT_BUS_EXPORTS,
})
export class EventBusModule extends ConfigurableEventBusModule {}
