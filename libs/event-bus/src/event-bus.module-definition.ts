import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EventBusOptions } from './interfaces/event-bus-options.interface';

/**
 * `forRoot` / `forRootAsync` (useFactory + inject + imports, useClass, useExisting), built
 * by Nest's ConfigurableModuleBuilder. `isGlobal` defaults to true: any module can inject
 * `EventBus` without importing anything.
 */
export const {
  ConfigurableModuleClass: ConfigurableEventBusModule,
  MODULE_OPTIONS_TOKEN: EVENT_BUS_OPTIONS,
  OPTIONS_TYPE: EVENT_BUS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: EVENT_BUS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<EventBusOptions>({ moduleName: 'EventBus' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createEventBusOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
