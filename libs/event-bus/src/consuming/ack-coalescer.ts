import type { Channel, Message } from 'amqplib';

/** What amqplib reads of a message to ack it: its delivery tag. */
function tagged(deliveryTag: number): Message {
  return { fields: { deliveryTag } } as Message;
}

/**
 * Settles one channel's deliveries, sending the acks of a turn of the event loop as one
 * `basic.ack` with `multiple` where it can.
 *
 * RabbitMQ spends a good share of a queue's time per message on its ack: one ack covering the
 * whole run of consecutive finished deliveries costs the broker (and the socket) one frame
 * instead of one each. Only deliveries that are all finished are covered: a multiple ack up to
 * tag N settles every outstanding delivery up to N, so the run stops at the first delivery
 * still in progress. Finished deliveries behind it are acked one by one in the same turn, so
 * a slow handler never holds the acks of the fast ones (nor their prefetch slots) back.
 * Rejections and requeues go out at once, one by one.
 *
 * One coalescer per channel: delivery tags are per channel, and a channel that closed has had
 * its unacked deliveries requeued by the broker, so its coalescer is simply dropped.
 *
 * It keeps delivery tags only, never the messages: a message's body is a slice of the socket
 * chunk it arrived in, and holding on to it would keep the whole chunk alive.
 */
export class AckCoalescer {
  /** Delivery tags in delivery order; the ones before `head` are settled. */
  private deliveries: number[] = [];
  private head = 0;
  /** Finished deliveries whose ack has not been sent yet. */
  private readonly finished = new Set<number>();
  /** Deliveries settled one by one that are still in `deliveries` after `head`. */
  private readonly settledAlone = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  /** Records a delivery, in the order the channel delivered it. */
  delivered(message: Message): void {
    this.deliveries.push(message.fields.deliveryTag);
  }

  /** Deliveries recorded and not settled yet (finished ones waiting for the end of the turn included). */
  get outstanding(): number {
    return this.deliveries.length - this.head - this.settledAlone.size;
  }

  /** Acks a delivery at the end of the current turn. */
  ack(message: Message): void {
    this.finished.add(message.fields.deliveryTag);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushScheduled);
    }
  }

  /** Rejects a delivery now: back to the queue with `requeue`, else to the queue's dead-letter exchange. */
  nack(message: Message, requeue: boolean): void {
    this.settledAlone.add(message.fields.deliveryTag);
    this.channel.nack(message, false, requeue);
  }

  /** Sends every ack waiting for the end of the turn (also called before the channel is closed). */
  flush(): void {
    if (this.finished.size === 0) return;
    let last: number | undefined;
    while (this.head < this.deliveries.length) {
      const next = this.deliveries[this.head] as number;
      if (this.finished.delete(next)) last = next;
      else if (!this.settledAlone.delete(next)) break;
      this.head++;
    }
    if (last !== undefined) this.channel.ack(tagged(last), true);
    for (const tag of this.finished) {
      this.settledAlone.add(tag);
      this.channel.ack(tagged(tag), false);
    }
    this.finished.clear();
    this.compact();
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    try {
      this.flush();
    } catch {
      // The channel closed meanwhile: the broker requeued whatever it had not seen acked,
      // and the ledger recognises those deliveries when they come back.
    }
  };

  /** Drops settled deliveries from the front once enough have piled up. */
  private compact(): void {
    if (this.head >= 1024 && this.head * 2 >= this.deliveries.length) {
      this.deliveries = this.deliveries.slice(this.head);
      this.head = 0;
    }
  }
}
