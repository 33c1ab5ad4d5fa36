import { Inject, Injectable } from '@nestjs/common';
import type { BrokerConnection } from '../amqp/broker-connection';
import { probeHashExchange } from '../amqp/hash-exchange-probe';
import { EVENT_BUS_AMQP_CONNECTION, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import type { BoundSubscription } from './bound-subscription';
import type { ConsumerFactory, ConsumerParts } from './consumer-factory.interface';
import type { ConsumerHandle } from './consumer-handle';
import { EventConsumer } from './event-consumer';
import { PartitionedConsumer } from './partitioned-consumer';

/** How often an instance re-counts its peers and claims or hands back partitions (`ordered: 'byKey'`). */
const PARTITION_REBALANCE_INTERVAL_MS = 2_000;

/** Consumers on RabbitMQ: one channel and one queue per subscription; `ordered: 'byKey'` ones partitioned. */
@Injectable()
export class RabbitMqConsumerFactory implements ConsumerFactory {
  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_AMQP_CONNECTION) private readonly connection: BrokerConnection,
  ) {}

  create(spec: BoundSubscription, parts: ConsumerParts): ConsumerHandle {
    const r = this.options.rabbitmq;
    const common = {
      connection: this.connection,
      exchange: r.exchange,
      deadLetterExchange: r.deadLetterExchange,
      queueType: r.queueType,
      deliveryLimit: r.deliveryLimit,
      ...parts,
    };
    if (spec.options.ordered !== 'byKey') return new EventConsumer(spec, common);
    return new PartitionedConsumer(spec, {
      ...common,
      probe: (topology) =>
        probeHashExchange(
          { urls: r.urls, tls: r.tls, connectTimeout: r.connectTimeout, connectionName: `${this.options.serviceName} topology check` },
          topology,
        ),
      rebalanceInterval: PARTITION_REBALANCE_INTERVAL_MS,
    });
  }
}
