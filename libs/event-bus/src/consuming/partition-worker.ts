import { setMaxListeners } from 'node:events';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { EventBusLogger } from '../logging/event-bus-logger';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import type { BoundSubscription } from './bound-subscription';
import type { InboundEvent } from './consume-interceptor.interface';
import { InFlightTracker } from './in-flight-tracker';
import { createInboundEvent } from './inbound-event.factory';
import { settleAfterChain, type DeliverySettlement } from './delivery-settlement';

/** What one partition's worker runs its messages through. */
export interface PartitionWorkerDeps {
  pipeline: (event: InboundEvent) => Promise<void>;
  report: (outcome: ConsumeOutcome) => void;
  logger: EventBusLogger;
}

/** `free`: not consumed here; `owned`: consumed here; the others are on their way. */
type WorkerState = 'free' | 'claiming' | 'owned' | 'releasing';

/** Longest a timer may wait in Node (a larger delay fires at once). */
const FOREVER_MS = 2 ** 31 - 1;

/**
 * Consumes one partition queue of an `ordered: 'byKey'` subscription, one message at a time, on
 * a channel of its own, while this instance owns the partition. Ownership is the exclusive
 * consumer of the partition's owner queue on the same channel: the broker grants it to one
 * connection at a time and takes it back when the channel or the connection goes.
 *
 * Handing a partition over must not let the next owner start on a later event while this one
 * still runs an earlier one. The ownership lives on the channel that consumes, so it ends only
 * when `release()` closes that channel: after the running handler finished and its ack went
 * out, and after the consumer was cancelled. Prefetch 1 means nothing else was being handled;
 * a message delivered meanwhile is not started, and goes back, first in the queue, when the
 * channel closes.
 */
export class PartitionWorker {
  private state: WorkerState = 'free';
  private channel?: Channel;
  private consumerTag?: string;
  private readonly running = new InFlightTracker();
  /** Set while handing over: deliveries are left unacked for the next owner. */
  private holding = false;
  private stopSignal = new AbortController();
  private releasing?: Promise<boolean>;

  constructor(
    /** The subscription as seen from this partition: `queue` is the partition queue. */
    readonly spec: BoundSubscription,
    private readonly ownerQueue: string,
    private readonly deps: PartitionWorkerDeps,
  ) {}

  /** Whether this instance consumes the partition now. */
  get owned(): boolean {
    return this.state === 'owned';
  }

  /** Whether the partition is neither owned nor changing hands here, and no handler of it still runs. */
  get claimable(): boolean {
    return this.state === 'free' && this.running.size === 0;
  }

  /** Handlers of this partition running now (0 or 1). */
  get inFlight(): number {
    return this.running.size;
  }

  /**
   * Tries to become the partition's consumer; `false` when another instance holds it (the broker
   * refuses the exclusive consumer and closes the channel) or the channel failed.
   */
  async claim(connection: ChannelModel): Promise<boolean> {
    if (!this.claimable) return false;
    this.state = 'claiming';
    let channel: Channel | undefined;
    try {
      channel = await connection.createChannel();
      const opened = channel;
      opened.on('error', (err: Error) => {
        if (this.state === 'owned' && this.channel === opened) this.deps.logger.warn(`Channel of ${this.spec.queue} error: ${err.message}`);
      });
      opened.on('close', () => this.onClosed(opened));
      await opened.consume(this.ownerQueue, () => undefined, { exclusive: true, noAck: true });
      await opened.prefetch(1);
      this.holding = false;
      this.stopSignal = createStopSignal();
      this.channel = opened;
      const { consumerTag } = await opened.consume(this.spec.queue, (message) => this.onMessage(opened, message), { noAck: false });
      this.consumerTag = consumerTag;
      this.state = 'owned';
      return true;
    } catch (err) {
      this.deps.logger.debug(`Partition ${this.spec.queue} not claimed: ${(err as Error).message}`);
      this.channel = undefined;
      this.state = 'free';
      if (channel) await channel.close().catch(() => undefined);
      return false;
    }
  }

  /**
   * Hands the partition back (see the class comment). Waits for the running handler as long as
   * `timeoutMs` (by default as long as it takes); resolves `false` if it was still running.
   */
  release(timeoutMs = FOREVER_MS): Promise<boolean> {
    if (this.state === 'owned') this.releasing = this.handOver(timeoutMs).finally(() => (this.releasing = undefined));
    return this.releasing ?? Promise.resolve(true);
  }

  /** Stops for good: waits (bounded) for the running handler, then gives the partition up. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopSignal.abort();
    const pending = this.releasing;
    // A handler can outlive its channel (lost with the connection): stopping waits for it too.
    const drained = pending
      ? await withinTime(pending, timeoutMs)
      : this.state === 'owned'
        ? await this.release(timeoutMs)
        : await this.running.drain(timeoutMs);
    if (!drained) {
      this.deps.logger.warn(`Stopped ${this.spec.queue} with a handler still running; the broker will redeliver its event`);
    }
    const channel = this.channel;
    this.channel = undefined;
    this.state = 'free';
    if (channel) await channel.close().catch(() => undefined);
  }

  private async handOver(timeoutMs: number): Promise<boolean> {
    const channel = this.channel;
    this.state = 'releasing';
    this.holding = true;
    const drained = await this.running.drain(timeoutMs);
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    if (this.channel === channel) this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
    this.state = 'free';
    return drained;
  }

  private onClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    // Lost with its connection (or closed by the broker): the broker requeued what was unacked,
    // and the balancer claims the partition again once the running handler, if any, is done.
    this.channel = undefined;
    if (this.state === 'owned') this.state = 'free';
  }

  private onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      this.deps.logger.warn(`Consumer of ${this.spec.queue} was cancelled by the broker; the partition is claimed again`);
      void channel.close().catch(() => undefined);
      return;
    }
    // Delivered while the partition is being handed over: left unacked, it goes back first in line.
    if (this.holding) return;
    void this.running.track(() => this.process(channel, message));
  }

  /** Runs one message through the chain and settles it. */
  private async process(channel: Channel, message: ConsumeMessage): Promise<void> {
    const event = createInboundEvent(message, this.spec, this.stopSignal.signal, this.deps.report);
    this.settle(channel, message, await settleAfterChain(this.deps.pipeline, event, message, this.spec, this.deps.logger));
  }

  private settle(channel: Channel | undefined, message: ConsumeMessage, how: DeliverySettlement): void {
    if (!channel) return;
    try {
      if (how === 'ack') channel.ack(message);
      else channel.nack(message, false, how === 'requeue');
    } catch {
      // The channel closed meanwhile: the broker requeued the message for the next owner.
    }
  }
}

/** What `work` resolves with, or `false` once `timeoutMs` has passed. */
async function withinTime(work: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** A stop signal that every waiting stage may listen to. */
function createStopSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
