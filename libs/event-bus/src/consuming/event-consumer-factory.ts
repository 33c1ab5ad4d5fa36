import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { ConsumeOutcome } from '../monitoring/consume-outcome';
import type { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { InboundEvent } from './consume-interceptor.interface';
import { EventConsumer } from './event-consumer';
import type { SubscriptionSpec } from './subscription-spec';

/** A running consumer of one subscription, whatever carries its messages. */
export interface ConsumerHandle {
  readonly spec: SubscriptionSpec;
  /** Declares what it needs and starts consuming. */
  start(): Promise<void>;
  /** Stops taking messages and waits (bounded) for handlers in progress. */
  stop(timeoutMs: number): Promise<void>;
  /** Resolves once its queue is declared and consumed on the current connection. */
  ready(): Promise<void>;
  /** Runs cached events through the chain first (`useCache`). */
  catchUp(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** What every consumer is built from. */
export interface ConsumerParts {
  pipeline: (event: InboundEvent) => Promise<void>;
  retryDelays: readonly number[];
  report: (queue: string, outcome: ConsumeOutcome) => void;
  logger: EventBusLogger;
}

/**
 * Makes the consumer of each subscription. The RabbitMQ one is the default; the testing
 * module swaps in an in-memory one, and everything around it (naming, the consume chain,
 * the ledger, stats) stays the same.
 */
@Injectable()
export class EventConsumerFactory {
  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: AmqpConnection,
  ) {}

  create(spec: SubscriptionSpec, parts: ConsumerParts): ConsumerHandle {
    return new EventConsumer(spec, {
      manager: this.connection.managedConnection,
      exchange: this.options.rabbitmq.exchange,
      deadLetterExchange: this.options.rabbitmq.deadLetterExchange,
      queueType: this.options.rabbitmq.queueType,
      ...parts,
    });
  }
}
