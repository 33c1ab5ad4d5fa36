import type { ConfirmChannel, Options } from 'amqplib';
import { PublishBufferFullError } from '../errors/publish-buffer-full.error';
import { PublishNackError } from '../errors/publish-nack.error';
import { PublishTimeoutError } from '../errors/publish-timeout.error';
import type { ManagedChannel } from './managed-channel';

/** One publish waiting for its broker confirm. */
interface PendingPublish {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  readonly properties: Options.Publish;
  readonly eventId: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  /** Date.now() after which it fails with a timeout. */
  readonly deadline: number;
  /** Channel it was last written to; confirms from any other channel are stale. */
  channel?: ConfirmChannel;
  settled: boolean;
}

/** Limits of the publisher. */
export interface ConfirmPublisherLimits {
  /** ms a publish may wait for its confirm, outages included. */
  timeoutMs: number;
  /** Most publishes waiting at once. */
  maxPending: number;
}

/** amqplib's error text for a broker nack (as opposed to a channel that closed under the message). */
const NACK_MESSAGE = 'message nacked';

/**
 * Publishes over one confirm channel and resolves each publish only when the broker confirms
 * it. Publishes made while the channel is down wait in a bounded buffer; publishes whose
 * channel closed before the confirm are sent again on the next channel (at-least-once: the
 * consumer's idempotency ledger absorbs the possible duplicate). Every publish settles:
 * confirmed, nacked, refused because the buffer is full, or timed out.
 */
export class ConfirmPublisher {
  /** Publishes waiting for a channel (insertion-ordered; settled ones leave it at once). */
  private readonly waiting = new Set<PendingPublish>();
  private readonly unsettled = new Set<PendingPublish>();
  private readonly idleWaiters: Array<() => void> = [];
  /**
   * One timer for all publishes: every publish gets the same timeout, so deadlines grow in
   * publish order and only the oldest unsettled one needs a timer (a timer per publish costs
   * measurably at thousands of publishes a second).
   */
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly channel: ManagedChannel<ConfirmChannel>,
    private readonly limits: ConfirmPublisherLimits,
  ) {}

  /**
   * While set, new publishes wait even if a channel is open: after a (re)connect, until the
   * subscriptions' queues are declared again, so nothing is routed to a queue not yet there.
   */
  gated = false;

  /** Number of publishes not yet confirmed or failed. */
  get pendingCount(): number {
    return this.unsettled.size;
  }

  /** Called with each freshly opened channel: sends what waited for it. */
  flush(channel: ConfirmChannel): void {
    const queued = [...this.waiting];
    this.waiting.clear();
    for (const entry of queued) if (!entry.settled) this.send(entry, channel);
  }

  /**
   * Sends a message; resolves on the broker's confirm. `eventId` names it in errors (default:
   * its `messageId`, which messages with minimal properties do not carry).
   */
  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    properties: Options.Publish,
    eventId: string = String(properties.messageId),
  ): Promise<void> {
    if (this.unsettled.size >= this.limits.maxPending) {
      return Promise.reject(new PublishBufferFullError(eventId, routingKey, this.limits.maxPending));
    }
    return new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + this.limits.timeoutMs;
      const entry: PendingPublish = { exchange, routingKey, body, properties, eventId, resolve, reject, deadline, settled: false };
      this.unsettled.add(entry);
      this.timer ??= this.armTimer(deadline);
      const channel = this.channel.current;
      if (channel && !this.gated) this.send(entry, channel);
      else this.waiting.add(entry);
    });
  }

  /** Resolves when every publish made so far has settled (used on shutdown). */
  whenIdle(): Promise<void> {
    if (this.unsettled.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails every publish still waiting (the connection is closing for good). */
  failAll(error: Error): void {
    this.waiting.clear();
    for (const entry of [...this.unsettled]) this.settle(entry, error);
  }

  private send(entry: PendingPublish, channel: ConfirmChannel): void {
    entry.channel = channel;
    try {
      channel.publish(entry.exchange, entry.routingKey, entry.body, entry.properties, (err) => {
        if (entry.settled || entry.channel !== channel) return;
        if (!err) this.settle(entry);
        else if (err.message === NACK_MESSAGE) {
          this.settle(entry, new PublishNackError(entry.eventId, entry.routingKey, 'nacked by the broker'));
        } else this.retryLater(entry, channel);
      });
    } catch {
      // The channel closed between our check and the write: send on the next one.
      this.retryLater(entry, channel);
    }
  }

  /** Queues a publish whose channel died; `flush` sends it on the next channel. */
  private retryLater(entry: PendingPublish, failed: ConfirmChannel): void {
    entry.channel = undefined;
    const channel = this.channel.current;
    if (channel && channel !== failed && !this.gated) this.send(entry, channel);
    else this.waiting.add(entry);
  }

  private armTimer(deadline: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()));
  }

  /** Fails every publish past its deadline (the oldest ones), then waits for the next. */
  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const entry of this.unsettled) {
      if (entry.deadline > now) {
        this.timer = this.armTimer(entry.deadline);
        return;
      }
      this.settle(entry, new PublishTimeoutError(entry.eventId, entry.routingKey, this.limits.timeoutMs));
    }
  }

  private settle(entry: PendingPublish, error?: Error): void {
    if (entry.settled) return;
    entry.settled = true;
    this.unsettled.delete(entry);
    this.waiting.delete(entry);
    if (error) entry.reject(error);
    else entry.resolve();
    if (this.unsettled.size === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      for (const done of this.idleWaiters.splice(0)) done();
    }
  }
}
