import { createNoopMeter, metrics, type Attributes, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './instrumentation-scope';
import { ATTR, LIB_ATTR, METRIC, VALUE } from './semconv';

/** The instruments of the bus on one meter provider. */
interface Instruments {
  sent: Counter;
  consumed: Counter;
  operationDuration: Histogram;
  processDuration: Histogram;
  retries: Counter;
  deadLetters: Counter;
  ledgerHits: Counter;
}

/** Bucket boundaries in seconds, as the messaging conventions advise for durations. */
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const NOOP_METER_CLASS = createNoopMeter().constructor;

let cache: { provider: MeterProvider; instruments: Instruments | undefined } | undefined;

/**
 * The instruments on the registered meter provider, or undefined while none is registered
 * (nothing is recorded then, at the cost of one global lookup). Created again when the provider
 * changes, since instruments of a provider registered earlier would report nowhere.
 */
function instruments(): Instruments | undefined {
  const provider = metrics.getMeterProvider();
  if (cache?.provider === provider) return cache.instruments;
  const meter = provider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  const made: Instruments | undefined =
    meter instanceof NOOP_METER_CLASS
      ? undefined
      : {
          sent: meter.createCounter(METRIC.sentMessages, {
            unit: '{message}',
            description: 'Messages the producer attempted to send to the broker',
          }),
          consumed: meter.createCounter(METRIC.consumedMessages, {
            unit: '{message}',
            description: 'Messages delivered to the application',
          }),
          operationDuration: meter.createHistogram(METRIC.operationDuration, {
            unit: 's',
            description: 'Duration of a publish, until the broker confirmed it',
            advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
          }),
          processDuration: meter.createHistogram(METRIC.processDuration, {
            unit: 's',
            description: 'Duration of one handler attempt',
            advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
          }),
          retries: meter.createCounter(METRIC.retries, { unit: '{message}', description: 'Failed attempts given another try' }),
          deadLetters: meter.createCounter(METRIC.deadLetters, { unit: '{message}', description: 'Messages sent to a dead-letter queue' }),
          ledgerHits: meter.createCounter(METRIC.ledgerHits, {
            unit: '{message}',
            description: 'Duplicate deliveries acked without running the handler (idempotency ledger hits)',
          }),
        };
  cache = { provider, instruments: made };
  return made;
}

/** Whether a meter provider is registered (the bus then records its metrics). */
export function metricsActive(): boolean {
  return instruments() !== undefined;
}

/** Records one publish: counted, and timed until its confirm (or its failure, with `error.type`). */
export function recordPublish(exchange: string, type: string, seconds: number, error?: unknown): void {
  const i = instruments();
  if (!i) return;
  const attributes: Attributes = {
    [ATTR.messagingSystem]: VALUE.rabbitmq,
    [ATTR.operationType]: VALUE.send,
    [ATTR.operationName]: VALUE.publish,
    [ATTR.destinationName]: exchange,
    [ATTR.routingKey]: type,
  };
  if (error !== undefined) attributes[ATTR.errorType] = error instanceof Error ? error.name : 'Error';
  i.sent.add(1, attributes);
  i.operationDuration.record(seconds, attributes);
}

/**
 * Records one handler attempt: its duration every time, and one consumed message for the first
 * attempt of each delivery (a retry through a wait queue is a new delivery; one in place is not).
 */
export function recordProcess(exchange: string, queue: string, type: string, newDelivery: boolean, seconds: number, error?: unknown): void {
  const i = instruments();
  if (!i) return;
  const attributes: Attributes = {
    [ATTR.messagingSystem]: VALUE.rabbitmq,
    [ATTR.operationType]: VALUE.process,
    [ATTR.operationName]: VALUE.process,
    [ATTR.destinationName]: exchange,
    [ATTR.subscriptionName]: queue,
    [ATTR.routingKey]: type,
  };
  if (newDelivery) i.consumed.add(1, attributes);
  if (error !== undefined) attributes[ATTR.errorType] = error instanceof Error ? error.name : 'Error';
  i.processDuration.record(seconds, attributes);
}

/** What the library counts beyond the conventions, by queue. */
export type LibraryOutcome = 'retried' | 'dead-lettered' | 'duplicate';

/** Counts a retry, a dead letter or a ledger hit (`event_bus.retries`, `event_bus.dead_letters`, `event_bus.ledger.hits`). */
export function recordOutcome(queue: string, outcome: LibraryOutcome): void {
  const i = instruments();
  if (!i) return;
  const attributes: Attributes = { [ATTR.messagingSystem]: VALUE.rabbitmq, [LIB_ATTR.queue]: queue };
  const counter = outcome === 'retried' ? i.retries : outcome === 'dead-lettered' ? i.deadLetters : i.ledgerHits;
  counter.add(1, attributes);
}
