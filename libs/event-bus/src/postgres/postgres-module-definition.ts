import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EventBusPostgresOptions } from './event-bus-postgres-options.interface';

/** `forRoot` / `forRootAsync`, as for `EventBusModule`; global by default so `Outbox` can be injected anywhere. */
export const { ConfigurableModuleClass: ConfigurableEventBusPostgresModule, MODULE_OPTIONS_TOKEN: EVENT_BUS_POSTGRES_OPTIONS } =
  new ConfigurableModuleBuilder<EventBusPostgresOptions>({ moduleName: 'EventBusPostgres' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createEventBusPostgresOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();

/** Injection token of the validated options. */
export const EVENT_BUS_POSTGRES_RESOLVED = 'event-bus:postgres_resolved_options';
