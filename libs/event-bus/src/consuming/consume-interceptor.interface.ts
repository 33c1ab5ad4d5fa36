import type { ConsumeMessage } from 'amqplib';
import type { EventContext } from '../interfaces/event-context.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { RetryHistoryEntry } from '../wire/failure-headers';
import type { BoundSubscription } from './bound-subscription';

/** One delivery travelling through the consume chain. */
export interface InboundEvent {
  /** The raw AMQP message, body and headers untouched. */
  readonly message: ConsumeMessage;
  /** The subscription it was delivered to. */
  readonly subscription: BoundSubscription;
  /** Delivery facts the handler sees (`attempt` grows with in-place retries). */
  readonly context: EventContext;
  /** Failed attempts so far: carried in from `x-retry-history`, appended by the retry stage. */
  readonly history: RetryHistoryEntry[];
  /** Length of `history` on arrival: entries past it were added during this delivery. */
  readonly historyStart: number;
  /** Aborted when the consumer stops: stages that wait (for Redis, for a lease) give up. */
  readonly signal: AbortSignal;
  /** Counts what happened to this delivery (absent in isolated stage tests). */
  readonly report?: (outcome: ConsumeOutcome) => void;
  /** The decoded event; set by the decode stage, present for every later stage. */
  envelope?: EventEnvelope;
}

/** Continues the chain. */
export type NextStage = () => Promise<void>;

/**
 * One concern of consumption (decode, correlation, validation, dedup, retry, dead-letter),
 * in the style of Watermill's middleware: it may act before and after `next`, skip it, or
 * turn its failure into another outcome. Resolving means "settled, ack the message";
 * throwing means "not handled".
 */
export interface ConsumeInterceptor {
  intercept(event: InboundEvent, next: NextStage): Promise<void>;
}

/** The decoded envelope of an event past the decode stage. */
export function envelopeOf(event: InboundEvent): EventEnvelope {
  if (!event.envelope) throw new Error('Consume chain misordered: the decode stage must run first');
  return event.envelope;
}
