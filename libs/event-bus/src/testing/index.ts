/**
 * `nestjs-event-bus/testing`: the bus without a broker or Redis, for unit tests of services
 * that publish and handle events.
 */
export { EventBusTestingModule } from './event-bus-testing.module';
export type { EventBusTestingOptions } from './event-bus-testing.module';
export { EventBusTestHarness } from './event-bus-test-harness';
export type { DeadLetteredRecord, HandledRecord, HarnessRecordKind } from './event-bus-test-harness';
