/**
 * OpenTelemetry attribute, metric and value names this library emits, written out here rather
 * than imported: `@opentelemetry/semantic-conventions` is not a dependency, and its messaging
 * names are still marked "development", so pinning them in one file keeps every span and
 * metric consistent. Source: OpenTelemetry semantic conventions v1.45.0, messaging spans and
 * metrics, and the RabbitMQ page (which replaced `messaging.rabbitmq.destination.routing_key`
 * with `rabbitmq.destination.routing_key`).
 */
export const SEMCONV_VERSION = '1.45.0';

/** Span and metric attributes of the messaging conventions. */
export const ATTR = {
  messagingSystem: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destinationName: 'messaging.destination.name',
  subscriptionName: 'messaging.destination.subscription.name',
  consumerGroupName: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  bodySize: 'messaging.message.body.size',
  routingKey: 'rabbitmq.destination.routing_key',
  deliveryTag: 'rabbitmq.message.delivery_tag',
  errorType: 'error.type',
} as const;

/** Attributes of this library, under its own `event_bus.` prefix (no convention covers them). */
export const LIB_ATTR = {
  /** 1-based attempt of this delivery (retries + 1). */
  attempt: 'event_bus.attempt',
  /** Event type (also the routing key of the first publish). */
  eventType: 'event_bus.event.type',
  /** Id of the event whose handler published this one. */
  causationId: 'event_bus.causation_id',
  /** Times the event was replayed from its dead-letter queue. */
  replayCount: 'event_bus.replay_count',
  /** Retry delay in milliseconds (span event `event_bus.retry`). */
  retryDelay: 'event_bus.retry.delay_ms',
  /** Dead-letter queue a message went to (span event `event_bus.dead_letter`). */
  deadLetterQueue: 'event_bus.dead_letter.queue',
  /** Outcome of a delivery on the library's own counters. */
  queue: 'event_bus.queue',
} as const;

/** Values of `messaging.system`, `messaging.operation.type` and `messaging.operation.name`. */
export const VALUE = {
  rabbitmq: 'rabbitmq',
  send: 'send',
  process: 'process',
  /** AMQP `basic.publish`. */
  publish: 'publish',
} as const;

/** Metric names: the messaging conventions', then the library's own under `event_bus.`. */
export const METRIC = {
  sentMessages: 'messaging.client.sent.messages',
  consumedMessages: 'messaging.client.consumed.messages',
  operationDuration: 'messaging.client.operation.duration',
  processDuration: 'messaging.process.duration',
  retries: 'event_bus.retries',
  deadLetters: 'event_bus.dead_letters',
  ledgerHits: 'event_bus.ledger.hits',
} as const;

/** Names of the span events recorded on a failed attempt. */
export const SPAN_EVENT = {
  retry: 'event_bus.retry',
  deadLetter: 'event_bus.dead_letter',
} as const;
