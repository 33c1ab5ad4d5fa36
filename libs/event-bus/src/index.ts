export { EventBusModule } from './event-bus.module';
export { EVENT_BUS_OPTIONS } from './event-bus.module-definition';
export { EventBus } from './event-bus.service';
export { DeadLetterService } from './dead-letters/dead-letter.service';
export type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from './dead-letters/dead-letter.interface';
export type { ReplayEditedOptions } from './dead-letters/dead-letter.interface';
export { DeadLetterNotFoundError } from './dead-letters/dead-letter-not-found.error';
export { EditedBodyRejectedError } from './dead-letters/edited-body-rejected.error';
export { EventBusConsoleModule } from './console/event-bus-console.module';
export type { EventBusConsoleOptions } from './console/console-options.interface';
export type { ConsoleOverview, ConsoleQueue, ConsoleReplayResult, DeadLetterPage } from './console/console.service';
export type { QueueTrend } from './console/queue-trend.sampler';
export { InvalidConsoleOptionsError } from './console/invalid-console-options.error';
export type { RetryHistoryEntry } from './wire/failure-headers';
export { eventBusOptionsFromEnv, EVENT_BUS_ENV_DEFAULTS } from './config/event-bus-options.from-env';
export { QueueHealthService } from './monitoring/queue-health.service';
export type { EventBusHealthSnapshot, QueueHealth } from './monitoring/queue-health.service';
export { EventBusHealthIndicator } from './monitoring/event-bus-health.indicator';
export type { EventBusHealthIndicatorResult } from './monitoring/event-bus-health.indicator';
export { EventBusMetrics } from './monitoring/event-bus-metrics';
export { EventBusAsyncApiModule, EVENT_BUS_ASYNCAPI_OPTIONS } from './asyncapi/event-bus-asyncapi.module';
export { AsyncApiDocumentService } from './asyncapi/asyncapi-document.service';
export type { EventBusAsyncApiOptions } from './asyncapi/asyncapi-options.interface';
export type { AsyncApiDocument } from './asyncapi/asyncapi-document.builder';
export type { ConsumeOutcome } from './stats/consume-outcome';
export type { HandlerTimes, QueueCounters } from './stats/event-bus-stats';
export { OnEvent } from './decorators/on-event.decorator';
export { EventPayload } from './decorators/event-payload.decorator';
export { Event } from './decorators/event.decorator';
export { EventCtx } from './decorators/event-ctx.decorator';
export { EventHeader } from './decorators/event-header.decorator';
export { EventParamtype } from './decorators/event-param.metadata';
export type { EventParamPipe } from './decorators/event-param.metadata';
export {
  EVENT_BUS_CONSUMER_FACTORY,
  EVENT_BUS_CONTEXT_TYPE,
  EVENT_BUS_DEAD_LETTER_STORE,
  EVENT_BUS_STATE,
  EVENT_BUS_TRANSPORT,
} from './event-bus.constants';
export type { ConfirmedSend, EventTransport, OutgoingEvent, QueueDepth } from './transport/event-transport.interface';
export type { ConsumerFactory, ConsumerParts } from './consuming/consumer-factory.interface';
export type { ConsumerHandle } from './consuming/consumer-handle';
export type { BoundSubscription } from './consuming/bound-subscription';
export type { InboundEvent } from './consuming/consume-interceptor.interface';
export type { EventBusLogger } from './logging/event-bus-logger';
export type { EventBusState } from './state/event-bus-state.interface';
export type { EventLedger, Lease, LeaseOutcome } from './idempotency/event-ledger.interface';
export type { EventCache } from './cache/event-cache.interface';
export type { DeadLetterStore } from './dead-letters/dead-letter-store.interface';
export { CorrelationIdMiddleware, CORRELATION_ID_HEADER } from './correlation/correlation-id.middleware';
export { currentCorrelationId } from './correlation/correlation-context';

export type {
  DeadLetterAlert,
  EventBusMonitoringOptions,
  EventBusOptions,
  EventBusRabbitMqOptions,
  EventBusRedisOptions,
} from './interfaces/event-bus-options.interface';
export type { EventBusRedisClusterOptions, EventBusRedisSentinelOptions } from './interfaces/redis-ha-options.interface';
export type { EventEnvelope, EventMetadata, PublishableEvent, PublishOptions } from './interfaces/event-envelope.interface';
export type { EventContext } from './interfaces/event-context.interface';
export type {
  ClassConstructor,
  EventHandler,
  RetryPolicyOptions,
  SubscribeOptions,
  Subscription,
} from './interfaces/subscribe-options.interface';

export { NonRetryableError } from './errors/non-retryable.error';
export { InvalidEventBusOptionsError } from './errors/invalid-options.error';
export { InvalidEventError } from './errors/invalid-event.error';
export { PublishNackError } from './errors/publish-nack.error';
export { PublishTimeoutError } from './errors/publish-timeout.error';
export { PublishBufferFullError } from './errors/publish-buffer-full.error';
export { EventBusClosedError } from './errors/event-bus-closed.error';
export { BrokerConnectionError } from './errors/broker-connection.error';
export { RedisConnectionError } from './errors/redis-connection.error';
export { RedisNotConfiguredError } from './errors/redis-not-configured.error';
export { QueueArgumentsMismatchError } from './errors/queue-arguments-mismatch.error';
export { HashExchangePluginMissingError } from './errors/hash-exchange-plugin-missing.error';
export { PartitionCountLoweredError } from './errors/partition-count-lowered.error';
export { SubscriptionConflictError } from './errors/subscription-conflict.error';
export { ValidationFailedError } from './errors/validation-failed.error';
export { UndecodableMessageError } from './errors/undecodable-message.error';
export { DeliveryLimitReachedError } from './errors/delivery-limit-reached.error';
export { EventTypeMismatchError } from './errors/event-type-mismatch.error';
export { GuardDeniedError } from './errors/guard-denied.error';
export { PipeRejectedError } from './errors/pipe-rejected.error';
export { UnsupportedHandlerError } from './errors/unsupported-handler.error';
