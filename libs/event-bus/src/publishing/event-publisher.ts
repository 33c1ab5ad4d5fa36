import { Inject, Injectable } from '@nestjs/common';
import { EventBusClosedError } from '../errors/event-bus-closed.error';
import { RedisNotConfiguredError } from '../errors/redis-not-configured.error';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_STATE, EVENT_BUS_TRANSPORT } from '../event-bus.constants';
import type { EventEnvelope, PublishableEvent, PublishOptions } from '../interfaces/event-envelope.interface';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { EventBusState } from '../state/event-bus-state.interface';
import { EventBusStats } from '../stats/event-bus-stats';
import type { EventTransport } from '../transport/event-transport.interface';
import { recordPublish } from '../telemetry/otel-metrics';
import { endPublishSpan, startPublishSpan } from '../telemetry/producer-span';
import { createEnvelope } from './envelope-factory';
import { checkOutgoingEvent, encodeOutgoingEvent } from './outgoing-event';

/**
 * The whole publish path, in order: validate (shape, then the type's DTO) -> envelope ->
 * encode -> guard (prototype keys, size) -> send (confirmed) -> cache. Every refusal happens
 * before anything is sent; once sent, nothing after it turns the publish into a failure.
 * From the envelope to the confirm, the publish is a PRODUCER span (when a tracing SDK is
 * registered) whose trace context the message carries, and an OpenTelemetry metric sample.
 */
@Injectable()
export class EventPublisher {
  private closed = false;
  private readonly logger: EventBusLogger;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_TRANSPORT) private readonly transport: EventTransport,
    @Inject(EVENT_BUS_STATE) private readonly state: EventBusState,
    private readonly stats: EventBusStats,
  ) {
    this.logger = new EventBusLogger('EventBus', options.secrets);
  }

  /** See `EventBus.publish`. */
  async publish<T>(event: PublishableEvent<T>, options: PublishOptions = {}): Promise<EventEnvelope<T>> {
    if (this.closed) throw new EventBusClosedError('publish');
    if (options.cache && !this.state.enabled) throw new RedisNotConfiguredError('publish({ cache: true })');
    const dtoCheck = checkOutgoingEvent(event, this.options.schemas);
    if (dtoCheck) await dtoCheck;
    const envelope = createEnvelope(event, this.options.serviceName);
    const { exchange } = this.options.rabbitmq;
    const traced = startPublishSpan(envelope, exchange);
    const started = performance.now();
    try {
      const encoded = encodeOutgoingEvent(envelope, {
        persistent: options.persistent !== false,
        maxMessageBytes: this.options.maxMessageBytes,
        trace: traced?.carrier,
        messageProperties: this.options.rabbitmq.messageProperties,
      });
      await this.transport.publish({ envelope, body: encoded.body, properties: encoded.properties });
      endPublishSpan(traced, undefined, encoded.body.length);
    } catch (err) {
      endPublishSpan(traced, err);
      recordPublish(exchange, envelope.type, (performance.now() - started) / 1000, err);
      throw err;
    }
    recordPublish(exchange, envelope.type, (performance.now() - started) / 1000);
    this.stats.published(envelope.type);
    if (options.cache) await this.writeCache(envelope);
    return envelope;
  }

  /** Refuses new publishes and waits until those already made have settled. */
  async drain(): Promise<void> {
    this.closed = true;
    const pending = this.transport.pendingPublishes;
    if (pending > 0) this.logger.log(`Waiting for ${pending} publish confirm(s) before closing`);
    await this.transport.whenIdle();
  }

  /** Closes the transport: whatever is still pending fails with `EventBusClosedError`. */
  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close();
  }

  /** The event is confirmed already: a cache failure is logged, never turned into a failed publish. */
  private async writeCache(envelope: EventEnvelope): Promise<void> {
    try {
      await this.state.cache.write(envelope);
    } catch (err) {
      this.logger.warn('Event published but not cached', { eventId: envelope.id, type: envelope.type, error: (err as Error).message });
    }
  }
}
