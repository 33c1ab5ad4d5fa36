/** Metadata key under which `@OnEvent` stores its bindings on a handler method. */
export const ON_EVENT_METADATA = 'event-bus:on_event';

/** Injection token of the resolved (validated, defaulted) module options. */
export const EVENT_BUS_RESOLVED_OPTIONS = 'event-bus:resolved_options';

/** Injection token of the RabbitMQ connection used by the bus (a `BrokerConnection`). */
export const EVENT_BUS_AMQP_CONNECTION = 'event-bus:amqp_connection';

/** Swap point: how events leave and how queues are inspected (an `EventTransport`). */
export const EVENT_BUS_TRANSPORT = 'event-bus:transport';

/** Swap point: what consumes each subscription (a `ConsumerFactory`). */
export const EVENT_BUS_CONSUMER_FACTORY = 'event-bus:consumer_factory';

/** Swap point: the idempotency ledger and latest-event cache (an `EventBusState`). */
export const EVENT_BUS_STATE = 'event-bus:state';

/** Swap point: where dead letters are listed, replayed and purged (a `DeadLetterStore`). */
export const EVENT_BUS_DEAD_LETTER_STORE = 'event-bus:dead_letter_store';

/** The subscriptions bound now, as monitoring reads them (a `SubscriptionDirectory`). */
export const EVENT_BUS_SUBSCRIPTIONS = 'event-bus:subscriptions';

/** Execution-context type seen by guards and interceptors around event handlers. */
export const EVENT_BUS_CONTEXT_TYPE = 'event-bus';

/** `content-type` of a CloudEvent in JSON structured mode. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * AMQP header that carries a keyed event's `key` (its `partitionkey` attribute), so the broker
 * can route on it without parsing the body: `ordered: 'byKey'` subscriptions hash it to pick a
 * partition (docs/ordering.md, docs/wire-format.md §2).
 */
export const PARTITION_KEY_HEADER = 'x-partition-key';

/** Default `metadata.version` of an event. */
export const DEFAULT_EVENT_VERSION = '1.0.0';

/** Default `metadata.schemaVersion` of an event. */
export const DEFAULT_SCHEMA_VERSION = '1.0';

/** Injection token of the Redis connection used by the bus. */
export const EVENT_BUS_REDIS = 'event-bus:redis';

/** Optional injection token: how in-place retries wait (the testing module makes it instant). */
export const EVENT_BUS_RETRY_WAIT = 'event-bus:retry_wait';

/** Optional swap point: the database inbox of `inbox: true` subscriptions (an `EventInbox`, from `EventBusPostgresModule`). */
export const EVENT_BUS_INBOX = 'event-bus:inbox';
