import { Inject, Injectable } from '@nestjs/common';
import type { InboundEvent } from '../consuming/consume-interceptor.interface';
import type { ConsumerFactory, ConsumerParts } from '../consuming/consumer-factory.interface';
import type { ConsumerHandle } from '../consuming/consumer-handle';
import { createInboundEvent } from '../consuming/inbound-event.factory';
import type { BoundSubscription } from '../consuming/bound-subscription';
import { MessageHeldSignal } from '../errors/message-held.signal';
import { EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { retryWaitQueueName } from '../topology/queue-naming';
import { encodeEvent } from '../wire/cloud-event.encoder';
import { EventBusTestHarness } from './event-bus-test-harness';
import { InMemoryBroker, type Settlement } from './in-memory-broker';

/** Consumers on the in-memory broker, running the very same consume chain as on RabbitMQ. */
@Injectable()
export class InMemoryConsumerFactory implements ConsumerFactory {
  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    private readonly broker: InMemoryBroker,
    private readonly harness: EventBusTestHarness,
  ) {}

  create(spec: BoundSubscription, parts: ConsumerParts): ConsumerHandle {
    const { broker, harness } = this;
    const { exchange, deadLetterExchange } = this.options.rabbitmq;
    const stop = new AbortController();
    let inFlight = 0;
    const run = async (message: InboundEvent['message']): Promise<Settlement> => {
      inFlight++;
      try {
        return await handle(message);
      } finally {
        inFlight--;
      }
    };
    const handle = async (message: InboundEvent['message']): Promise<Settlement> => {
      // createInboundEvent never reports synchronously, so `event` is set before any report.
      const event: InboundEvent = createInboundEvent(message, spec, stop.signal, (outcome) => {
        parts.report(spec.queue, outcome);
        harness.recordOutcome(outcome, event);
      });
      try {
        await parts.pipeline(event);
        return 'ack';
      } catch (err) {
        // Only raised while stopping: the in-memory broker goes away with the module anyway.
        if (err instanceof MessageHeldSignal) return 'ack';
        return 'reject';
      }
    };
    return {
      spec,
      get inFlight() {
        return inFlight;
      },
      async start() {
        broker.declareQueue(spec.deadLetterQueue);
        broker.bind(spec.deadLetterQueue, deadLetterExchange, spec.deadLetterQueue);
        broker.declareQueue(spec.queue, { exchange: deadLetterExchange, routingKey: spec.deadLetterQueue });
        broker.bind(spec.queue, exchange, spec.type);
        for (const delay of parts.retryDelays) broker.declareWaitQueue(retryWaitQueueName(spec.queue, delay), spec.queue);
        broker.consume(spec.queue, run);
      },
      async ready() {},
      async stop() {
        stop.abort();
        broker.cancel(spec.queue);
      },
      async catchUp(envelopes: readonly EventEnvelope[]) {
        for (const envelope of envelopes) {
          const { body, properties } = encodeEvent(envelope, true);
          const message = {
            content: body,
            fields: { deliveryTag: 0, redelivered: false, exchange, routingKey: envelope.type, consumerTag: '' },
            properties: { ...properties, headers: {} },
          } as unknown as InboundEvent['message'];
          await run(message);
        }
      },
    };
  }
}
