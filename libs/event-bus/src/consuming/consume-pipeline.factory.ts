import type { EventLedger } from '../idempotency/event-ledger.interface';
import type { EventInbox } from '../inbox/event-inbox.interface';
import type { EventBusLogger } from '../logging/event-bus-logger';
import type { EventBusStats } from '../stats/event-bus-stats';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { composeInterceptors } from './compose-interceptors';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent } from './consume-interceptor.interface';
import type { ConfirmedSend } from '../transport/event-transport.interface';
import { CorrelationInterceptor } from './interceptors/correlation.interceptor';
import { DeadLetterInterceptor } from './interceptors/dead-letter.interceptor';
import { DecodeInterceptor } from './interceptors/decode.interceptor';
import { DeliveryLimitInterceptor } from './interceptors/delivery-limit.interceptor';
import { IdempotencyInterceptor } from './interceptors/idempotency.interceptor';
import { InboxInterceptor } from './interceptors/inbox.interceptor';
import { RetryInterceptor } from './interceptors/retry.interceptor';
import { TracingInterceptor } from './interceptors/tracing.interceptor';
import { TypeMatchInterceptor } from './interceptors/type-match.interceptor';
import { ValidationInterceptor } from './interceptors/validation.interceptor';
import { distinctRetryDelays, resolveRetryPolicy } from './retry-policy';
import type { BoundSubscription } from './bound-subscription';

/** What the chain's stages need from the module. */
export interface ConsumePipelineDeps {
  options: ResolvedEventBusOptions;
  send: ConfirmedSend;
  logger: EventBusLogger;
  ledger: EventLedger;
  /** How retries in place wait (real time unless a test harness says otherwise). */
  wait?: (ms: number) => Promise<void>;
  /** Where handler times go (failures are timed out of the picture: they are counted instead). */
  stats?: EventBusStats;
  /** The database inbox, when `EventBusPostgresModule` provides one (needed by `inbox: true`). */
  inbox?: EventInbox;
}

/** A subscription's consume chain, and the retry wait queues it relies on. */
export interface ConsumePipeline {
  run: (event: InboundEvent) => Promise<void>;
  retryDelays: number[];
}

/**
 * The consume chain of one subscription, outermost first: dead-letter (catches every final
 * failure), decode, delivery limit (quorum queues), type match (routing key vs the event's type), correlation, retry,
 * tracing (inside retry: a span per attempt), validation (non-retryable), idempotency (inside
 * retry, so each attempt takes and releases the lease), then the handler. Each concern is one interceptor in its own file.
 */
export function buildConsumePipeline(spec: BoundSubscription, deps: ConsumePipelineDeps): ConsumePipeline {
  const { options, send, logger, ledger } = deps;
  const policy = resolveRetryPolicy(spec.options, options.rabbitmq);
  // Ordered queues must not let later events pass a failing one, and private queues should
  // not leave wait queues behind: both retry in place.
  const inPlace = spec.options.ordered === true || spec.options.ordered === 'byKey' || !spec.durable;
  const schema = spec.options.schema ?? (Object.hasOwn(options.schemas, spec.type) ? options.schemas[spec.type] : undefined);

  const interceptors: ConsumeInterceptor[] = [
    new DeadLetterInterceptor({ deadLetterExchange: options.rabbitmq.deadLetterExchange, send, logger }),
    new DecodeInterceptor({ maxMessageBytes: options.maxMessageBytes }),
    // Quorum queues count deliveries; classic queues do not, and private queues are classic.
    ...(options.rabbitmq.queueType === 'quorum' && spec.durable
      ? [new DeliveryLimitInterceptor({ deliveryLimit: options.rabbitmq.deliveryLimit })]
      : []),
    new TypeMatchInterceptor(),
    new CorrelationInterceptor(),
    new RetryInterceptor({ policy, inPlace, send, logger, wait: deps.wait }),
    new TracingInterceptor({ exchange: options.rabbitmq.exchange }),
  ];
  if (schema) interceptors.push(new ValidationInterceptor({ schema }));
  // The inbox replaces the Redis ledger (docs/outbox-inbox.md): one dedup record, in the handler's own transaction.
  if (spec.options.inbox === true) {
    if (!deps.inbox) throw new Error(`${spec.handlerName}: inbox: true needs EventBusPostgresModule`);
    interceptors.push(new InboxInterceptor({ inbox: deps.inbox, logger }));
  } else if (spec.options.idempotent !== false) interceptors.push(new IdempotencyInterceptor({ ledger, logger }));

  return {
    run: composeInterceptors(interceptors, async (event) => {
      const started = performance.now();
      await spec.handler(envelopeOf(event), event.context);
      deps.stats?.handlerDuration(spec.queue, performance.now() - started);
      event.report?.('handled');
    }),
    retryDelays: inPlace ? [] : distinctRetryDelays(policy),
  };
}
