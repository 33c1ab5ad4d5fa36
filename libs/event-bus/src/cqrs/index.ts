/**
 * `nestjs-event-bus/cqrs`: the bridge between `@nestjs/cqrs` and the bus. A subpath of its
 * own, so `@nestjs/cqrs` stays an optional peer dependency of the main entry point.
 */
export { EventBusCqrsModule } from './event-bus-cqrs.module';
export type { EventBusCqrsOptions } from './event-bus-cqrs.options';
export { CqrsEventType, cqrsEventTypeOf } from './cqrs-event-type.decorator';
