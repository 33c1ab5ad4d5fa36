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
  /** Strict publish order: one active consumer across instances, one message at a time. */
  ordered?: boolean;
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
