import type { EventContext } from './event-context.interface';
import type { EventEnvelope } from './event-envelope.interface';

/** A class usable as a class-validator DTO (any constructor signature: `never[]` accepts them all). */
export type ClassConstructor<T = object> = new (...args: never[]) => T;

/** Retry policy fields shared by the module options and each subscription. */
export interface RetryPolicyOptions {
  /** Retries after the first attempt (attempts = retryCount + 1). */
  retryCount?: number;
  /** Milliseconds before a retry. */
  retryDelay?: number;
  /** `'exponential'`: retryDelay * 2^(n-1) before retry n. */
  retryBackoff?: 'fixed' | 'exponential';
}

/** Options of `EventBus.subscribe()` and `@OnEvent()`. */
export interface SubscribeOptions extends RetryPolicyOptions {
  /** Named durable queue that survives restarts and downtime (default `true`); `false`: a private, auto-deleted queue per instance. */
  durable?: boolean;
  /** On binding, first hand the handler the latest cached events of its type not yet processed by its queue. Default `false`. */
  useCache?: boolean;
  /** Queue name; default `<serviceName>.<type>`. */
  queue?: string;
  /** Unacknowledged messages this consumer may hold at once. */
  prefetch?: number;
  /**
   * Publish order. `true`: one active consumer across instances, one message at a time.
   * `'byKey'`: order per event key (`publish({ key })`), with `partitions` queues consumed in
   * parallel and spread over the instances (needs RabbitMQ's `rabbitmq_consistent_hash_exchange`
   * plugin; docs/ordering.md). Both retry in place. Default `false`.
   */
  ordered?: boolean | 'byKey';
  /**
   * With `ordered: 'byKey'`: how many partition queues (`<queue>.p0` ...) share the keys, hence
   * how many events are handled at once across all instances. Integer 1-256, default 8. Fixed
   * for the life of the queue: lowering it is refused at startup.
   */
  partitions?: number;
  /** class-validator DTO for `data`; invalid events are dead-lettered without retries. */
  schema?: ClassConstructor;
  /** Run the handler once per event id through the Redis ledger. Default `true`. */
  idempotent?: boolean;
  /**
   * Run the handler inside a PostgreSQL transaction that also records the event (needs
   * `EventBusPostgresModule`); a redelivery of a committed event is acked without running it.
   * The handler writes through `inboxTransaction(ctx)`. Replaces the Redis ledger. Default `false`.
   */
  inbox?: boolean;
  /** Alert when this handler's dead-letter queue holds at least this many messages (overrides `monitoring.deadLetterThreshold`). */
  deadLetterThreshold?: number;
}

/** A function that handles one event. Throwing fails the attempt. */
export type EventHandler<T = unknown> = (event: EventEnvelope<T>, ctx: EventContext) => Promise<void> | void;

/** Handle of a live subscription. */
export interface Subscription {
  /** Queue the subscription consumes from. */
  readonly queue: string;
  /** Stops consuming; in-flight handlers finish first. The durable queue stays. */
  unsubscribe(): Promise<void>;
}
