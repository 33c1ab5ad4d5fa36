import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { BoundSubscription } from './bound-subscription';

/** A running consumer of one subscription, whatever carries its messages. */
export interface ConsumerHandle {
  readonly spec: BoundSubscription;
  /** Deliveries taken from the queue whose handling has not finished yet (at most the prefetch). */
  readonly inFlight: number;
  /** Declares what it needs and starts consuming. */
  start(): Promise<void>;
  /** Stops taking messages and waits (bounded) for handlers in progress. */
  stop(timeoutMs: number): Promise<void>;
  /** Resolves once its queue is declared and consumed on the current connection. */
  ready(): Promise<void>;
  /** Runs cached events through the chain first (`useCache`). */
  catchUp(envelopes: readonly EventEnvelope[]): Promise<void>;
}
