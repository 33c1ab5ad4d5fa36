/** Metadata key under which `@OnEvent` stores its bindings on a handler method. */
export const ON_EVENT_METADATA = 'event-bus:on_event';

/** Injection token of the resolved (validated, defaulted) module options. */
export const EVENT_BUS_RESOLVED_OPTIONS = 'event-bus:resolved_options';

/** Injection token of the RabbitMQ connection used by the bus. */
export const EVENT_BUS_AMQP_CONNECTION = 'event-bus:amqp_connection';

/** Execution-context type seen by guards and interceptors around event handlers. */
export const EVENT_BUS_CONTEXT_TYPE = 'event-bus';

/** `content-type` of a CloudEvent in JSON structured mode. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Default `metadata.version` of an event. */
export const DEFAULT_EVENT_VERSION = '1.0.0';

/** Default `metadata.schemaVersion` of an event. */
export const DEFAULT_SCHEMA_VERSION = '1.0';

/** Injection token of the Redis connection used by the bus. */
export const EVENT_BUS_REDIS = 'event-bus:redis';

/** Optional injection token: how in-place retries wait (the testing module makes it instant). */
export const EVENT_BUS_RETRY_WAIT = 'event-bus:retry_wait';
