import { Inject, Injectable } from '@nestjs/common';
import type { BrokerConnection } from '../amqp/broker-connection';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { BoundSubscription } from './bound-subscription';
import type { ConsumerFactory, ConsumerParts } from './consumer-factory.interface';
import type { ConsumerHandle } from './consumer-handle';
import { EventConsumer } from './event-consumer';

/** Consumers on RabbitMQ: one channel and one queue per subscription. */
@Injectable()
export class RabbitMqConsumerFactory implements ConsumerFactory {
  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: BrokerConnection,
  ) {}

  create(spec: BoundSubscription, parts: ConsumerParts): ConsumerHandle {
    return new EventConsumer(spec, {
      connection: this.connection,
      exchange: this.options.rabbitmq.exchange,
      deadLetterExchange: this.options.rabbitmq.deadLetterExchange,
      queueType: this.options.rabbitmq.queueType,
      ...parts,
    });
  }
}
