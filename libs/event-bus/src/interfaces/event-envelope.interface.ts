/** Metadata carried by every event (docs/api.md §5; on the wire as CloudEvents attributes, docs/wire-format.md §1). */
export interface EventMetadata {
  /** Ties together every event caused by one business transaction. */
  correlationId: string;
  /** Id of the event whose handler published this one. */
  causationId?: string;
  /** `serviceName` of the publisher. */
  source: string;
  /** ISO-8601 time of publication. */
  timestamp: string;
  /** Version of the event contract; default `'1.0.0'`. */
  version: string;
  /** Version of the payload schema; default `'1.0'`. */
  schemaVersion: string;
  /** Partition key, e.g. the aggregate id; keys the latest-state cache. */
  key?: string;
  /**
   * CloudEvent attributes of an incoming event that no other field takes, by attribute name:
   * extensions such as `traceparent` and `tracestate` or a producer's own, and the optional
   * `subject` and `dataschema` (docs/wire-format.md §3). Absent when there are none, and always
   * absent for plain JSON messages and on the envelope `publish()` returns.
   */
  extensions?: Record<string, string | number | boolean>;
}

/** An event as handlers receive it and as `publish()` returns it. */
export interface EventEnvelope<T = unknown> {
  /** Unique id; also the AMQP `messageId` and the idempotency key. */
  id: string;
  /** Event type; also the routing key. */
  type: string;
  /** Payload. */
  data: T;
  /** Correlation, causation, source, time and versions. */
  metadata: EventMetadata;
}

/** What a caller hands to `EventBus.publish()`; everything but `type` and `data` is optional. */
export interface PublishableEvent<T = unknown> {
  /** Event type, e.g. `'USER_CREATED'`; letters, digits and `. _ - :` only. */
  type: string;
  /** Payload; must be JSON-serialisable. */
  data: T;
  /** Event id; a UUID is generated when absent. Publishing again with the same id is deduplicated by consumers. */
  id?: string;
  /** Partition key (e.g. the aggregate id). */
  key?: string;
  /** Overrides of the metadata the bus fills in. */
  metadata?: {
    correlationId?: string;
    causationId?: string;
    version?: string;
    schemaVersion?: string;
  };
}

/** Options of a single `publish()` call. */
export interface PublishOptions {
  /** Store the message on disk (AMQP delivery mode 2). Default `true`. */
  persistent?: boolean;
  /** Also write the event to the Redis latest-state cache after the broker confirmed it. Default `false`. */
  cache?: boolean;
}
