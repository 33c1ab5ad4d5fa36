import { randomInt } from 'node:crypto';
import type { Channel } from 'amqplib';
import { ManagedChannel } from '../amqp/managed-channel';
import { HashExchangePluginMissingError } from '../errors/hash-exchange-plugin-missing.error';
import { PartitionCountLoweredError } from '../errors/partition-count-lowered.error';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { membersQueueName, partitionOwnerQueueName, partitionQueueName } from '../topology/partition-naming';
import {
  assertPartitionTopology,
  MARKER_QUEUE_OPTIONS,
  MEMBERS_QUEUE_OPTIONS,
  type PartitionTopology,
} from '../topology/partition-topology';
import { assertExchanges } from '../topology/topology-declarer';
import type { BoundSubscription } from './bound-subscription';
import type { ConsumerParts } from './consumer-factory.interface';
import type { ConsumerHandle } from './consumer-handle';
import type { EventConsumerDeps } from './event-consumer';
import { claimOrder, fairShare } from './partition-share';
import { PartitionWorker } from './partition-worker';
import { DEFAULT_PARTITIONS } from './subscribe-options.check';

/** What the consumer of an `ordered: 'byKey'` subscription needs besides its subscription. */
export interface PartitionedConsumerDeps extends EventConsumerDeps {
  /** Checks the broker before the first declaration on the bus's connection (`probeHashExchange`). */
  probe: (topology: PartitionTopology) => Promise<void>;
  /** How often (ms) the instance re-counts the members and claims or releases partitions. */
  rebalanceInterval: number;
}

/**
 * Consumes an `ordered: 'byKey'` subscription (docs/ordering.md): the events exchange feeds a
 * consistent-hash exchange that spreads events over `partitions` queues by their key, and each
 * partition is consumed, one message at a time, by exactly one instance. Every instance consumes
 * the members queue, whose consumer count is the number of live instances, and every couple of
 * seconds (and on each reconnect) claims partitions nobody owns up to its fair share, or hands
 * back its surplus when more instances have joined. A partition of an instance that died is free
 * as soon as the broker sees its connection go.
 */
export class PartitionedConsumer implements ConsumerHandle {
  private readonly topology: PartitionTopology;
  private readonly workers: PartitionWorker[];
  private readonly control: ManagedChannel<Channel>;
  /** Where this instance starts looking for free partitions. */
  private readonly offset: number;
  private timer?: NodeJS.Timeout;
  private balancing?: Promise<void>;
  private stopping = false;

  constructor(
    readonly spec: BoundSubscription,
    private readonly deps: PartitionedConsumerDeps,
  ) {
    const partitions = spec.options.partitions ?? DEFAULT_PARTITIONS;
    this.topology = {
      queue: spec.queue,
      partitions,
      type: spec.type,
      exchange: deps.exchange,
      deadLetterExchange: deps.deadLetterExchange,
      deadLetterQueue: spec.deadLetterQueue,
      queueType: deps.queueType,
      deliveryLimit: deps.deliveryLimit,
    };
    // Outcomes count for the subscription as a whole; the partition's name goes into the
    // context, the ledger and the dead letters (a replay returns to the partition it left).
    const report = (outcome: Parameters<ConsumerParts['report']>[1]) => deps.report(spec.queue, outcome);
    this.workers = Array.from(
      { length: partitions },
      (_, i) =>
        new PartitionWorker({ ...spec, queue: partitionQueueName(spec.queue, i) }, partitionOwnerQueueName(spec.queue, i), {
          pipeline: deps.pipeline,
          report,
          logger: deps.logger,
        }),
    );
    this.offset = randomInt(partitions);
    this.control = new ManagedChannel<Channel>(deps.connection, {
      name: `partitions of ${spec.queue}`,
      confirm: false,
      logger: deps.logger,
      setup: (channel) => this.setup(channel),
      onOpen: () => void this.rebalance(),
    });
  }

  /** Checks the broker, declares the topology, joins the members and claims a first share. */
  async start(): Promise<void> {
    if (this.deps.connection.current) await this.probe();
    await this.control.start();
    this.timer = setInterval(() => void this.rebalance(), this.deps.rebalanceInterval);
    this.timer.unref();
    await this.rebalance();
  }

  /**
   * A missing plugin or a lowered partition count fails the start; a probe that cannot connect
   * (a node down) only leaves the declaration below to tell what is wrong.
   */
  private async probe(): Promise<void> {
    try {
      await this.deps.probe(this.topology);
    } catch (err) {
      if (err instanceof HashExchangePluginMissingError || err instanceof PartitionCountLoweredError) throw err;
      this.deps.logger.warn(`Could not check the broker for ${this.spec.queue} before declaring it: ${(err as Error).message}`);
    }
  }

  /** Handlers running now, over all partitions owned here. */
  get inFlight(): number {
    return this.workers.reduce((sum, w) => sum + w.inFlight, 0);
  }

  /** Resolves once the topology is declared on the current connection. */
  async ready(): Promise<void> {
    await this.control.ready();
  }

  /** Stops claiming, hands every partition back (running handlers finish, bounded), leaves the members. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.balancing;
    await Promise.all(this.workers.map((w) => w.stop(timeoutMs)));
    await this.control.close();
  }

  /** `useCache` is refused with `ordered: 'byKey'` (subscribe-options.check.ts): nothing to catch up. */
  async catchUp(_envelopes: readonly EventEnvelope[]): Promise<void> {}

  private async setup(channel: Channel): Promise<void> {
    await assertExchanges(channel, this.deps.exchange, this.deps.deadLetterExchange);
    await assertPartitionTopology(channel, this.topology);
    // Being a consumer of the members queue is what counts this instance in.
    await channel.consume(membersQueueName(this.spec.queue), () => undefined, { noAck: true });
  }

  /** One balancing pass at a time; a call during a pass waits for that pass. */
  private rebalance(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.balancing ??= this.balanceOnce()
      .catch((err: unknown) => this.deps.logger.warn(`Could not balance the partitions of ${this.spec.queue}: ${(err as Error).message}`))
      .finally(() => (this.balancing = undefined));
    return this.balancing;
  }

  private async balanceOnce(): Promise<void> {
    const channel = this.control.current;
    const connection = this.deps.connection.current;
    if (!channel || !connection) return;
    const { consumerCount: members } = await channel.assertQueue(membersQueueName(this.spec.queue), MEMBERS_QUEUE_OPTIONS);
    const share = fairShare(this.workers.length, members);
    const owned = this.workers.filter((w) => w.owned);
    // Surplus goes back in the background: each waits for its running handler first.
    for (const worker of owned.slice(share)) void worker.release();
    let count = Math.min(owned.length, share);
    for (const i of claimOrder(this.workers.length, this.offset)) {
      if (count >= share || this.stopping) break;
      const worker = this.workers[i];
      if (!worker.claimable) continue;
      // Cheap look first: a refused claim costs a channel.
      const { consumerCount } = await channel.assertQueue(partitionOwnerQueueName(this.spec.queue, i), MARKER_QUEUE_OPTIONS);
      if (consumerCount > 0) continue;
      if (await worker.claim(connection)) count++;
    }
  }
}
