import { MessageHeldSignal } from '../../errors/message-held.signal';
import type { EventLedger } from '../../idempotency/event-ledger.interface';
import { ledgerEventKey } from '../../idempotency/ledger-event-key';
import type { EventBusLogger } from '../../logging/event-bus-logger';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/** Options of the idempotency stage. */
export interface IdempotencyInterceptorOptions {
  ledger: EventLedger;
  logger: EventBusLogger;
  /** How often to look again while another consumer holds the event's lease. Default 200 ms. */
  busyPollMs?: number;
  /** Longest pause between attempts to reach Redis. Default 2000 ms. */
  maxBackoffMs?: number;
}

const NEVER_ABORTED = new AbortController().signal;

/** Waits `ms`, or less if `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Runs the handler at most once per (queue, event source + id) through the Redis ledger
 * (docs/semantics.md §7).
 * A duplicate of a handled event is acked without calling the handler; a copy that another
 * consumer is handling right now waits for its outcome. While Redis is unreachable nothing
 * runs blind: the message is held, unacked, and picked up again when Redis answers.
 */
export class IdempotencyInterceptor implements ConsumeInterceptor {
  private readonly busyPollMs: number;
  private readonly maxBackoffMs: number;
  private outage = false;

  constructor(private readonly options: IdempotencyInterceptorOptions) {
    this.busyPollMs = options.busyPollMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    if (!(this.busyPollMs > 0) || !(this.maxBackoffMs > 0)) throw new Error('IdempotencyInterceptor: intervals must be > 0');
  }

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const { ledger } = this.options;
    const envelope = envelopeOf(event);
    const id = envelope.id;
    const key = ledgerEventKey(envelope);
    const queue = event.subscription.queue;
    for (;;) {
      const { outcome, lease } = await this.withRedis(event, () => ledger.acquire(queue, key));
      if (outcome === 'done') {
        event.report?.('duplicate');
        this.options.logger.debug('Duplicate event acked without running the handler', { eventId: id, queue });
        return;
      }
      if (outcome === 'busy') {
        await pause(this.busyPollMs, event.signal);
        if (event.signal.aborted) throw new MessageHeldSignal('another consumer holds the event and this one is stopping');
        continue;
      }
      try {
        await next();
      } catch (error) {
        // Best effort: if Redis is away the lease simply expires before the retry needs it.
        await ledger.release(lease).catch(() => undefined);
        throw error;
      }
      // The handler ran: its "done" mark must land before the ack, or a redelivery would run it again.
      await this.withRedis(event, () => ledger.markDone(lease), true);
      return;
    }
  }

  /**
   * Calls Redis until it answers. Gives up when the consumer stops; with `mustFinish` (the
   * handler already ran) it keeps trying a while longer first, since giving up means the
   * redelivered event runs again.
   */
  private async withRedis<T>(event: InboundEvent, call: () => Promise<T>, mustFinish = false): Promise<T> {
    let triesAfterStop = mustFinish ? 10 : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        if (this.outage) this.options.logger.log('Redis answers again; processing resumes', { queue: event.subscription.queue });
        this.outage = false;
        return result;
      } catch (err) {
        if (!this.outage) {
          this.options.logger.warn('Redis unreachable: holding messages until it is back', {
            error: (err as Error).message,
            queue: event.subscription.queue,
          });
        }
        this.outage = true;
        if (event.signal.aborted && triesAfterStop-- <= 0) throw new MessageHeldSignal('Redis is unreachable');
        await pause(Math.min(this.maxBackoffMs, 50 * 2 ** attempt), event.signal.aborted ? NEVER_ABORTED : event.signal);
      }
    }
  }
}
