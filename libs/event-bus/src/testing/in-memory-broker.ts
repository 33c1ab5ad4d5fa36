import type { ConsumeMessage, Options } from 'amqplib';

/** How a consumer settled a message. */
export type Settlement = 'ack' | 'reject';

interface MemoryQueue {
  messages: ConsumeMessage[];
  consumer?: (message: ConsumeMessage) => Promise<Settlement>;
  /** Where rejected messages go (the queue's dead-letter target). */
  deadLetter?: { exchange: string; routingKey: string };
  busy: boolean;
}

/** Something that happened in the broker, for the test harness. */
export type BrokerObserver = (queue: string, message: ConsumeMessage) => void;

/**
 * A tiny in-process stand-in for RabbitMQ with the routing the bus relies on: exact-match
 * bindings, the default exchange (queue by name), retry wait queues that hand their messages
 * straight back (no real waiting), and rejection into a dead-letter queue. Each queue
 * delivers one message at a time, in order, so tests are deterministic.
 */
export class InMemoryBroker {
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly bindings: Array<{ exchange: string; routingKey: string; queue: string }> = [];
  private readonly waitQueues = new Map<string, string>();
  private readonly observers: BrokerObserver[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private deliveryTag = 0;

  /** Declares a queue (idempotent). */
  declareQueue(name: string, deadLetter?: { exchange: string; routingKey: string }): void {
    const queue = this.queues.get(name);
    if (queue) queue.deadLetter ??= deadLetter;
    else this.queues.set(name, { messages: [], deadLetter, busy: false });
  }

  /** A retry wait queue: whatever is sent to it goes back to `target` at once. */
  declareWaitQueue(name: string, target: string): void {
    this.waitQueues.set(name, target);
  }

  bind(queue: string, exchange: string, routingKey: string): void {
    if (!this.bindings.some((b) => b.queue === queue && b.exchange === exchange && b.routingKey === routingKey)) {
      this.bindings.push({ exchange, routingKey, queue });
    }
  }

  consume(queue: string, consumer: (message: ConsumeMessage) => Promise<Settlement>): void {
    this.declareQueue(queue);
    this.queues.get(queue)!.consumer = consumer;
    this.pump(queue);
  }

  cancel(queue: string): void {
    const q = this.queues.get(queue);
    if (q) q.consumer = undefined;
  }

  /** Calls `observer` for every message that lands in a queue. */
  observe(observer: BrokerObserver): void {
    this.observers.push(observer);
  }

  /** Routes a message; unroutable ones are dropped, as RabbitMQ does without `mandatory`. */
  publish(exchange: string, routingKey: string, content: Buffer, properties: Options.Publish = {}): void {
    const targets =
      exchange === ''
        ? [this.waitQueues.get(routingKey) ?? routingKey].filter((q) => this.queues.has(q))
        : this.bindings.filter((b) => b.exchange === exchange && b.routingKey === routingKey).map((b) => b.queue);
    for (const queue of targets) this.enqueue(queue, exchange, routingKey, content, properties);
  }

  /** Messages waiting in a queue. */
  depth(queue: string): number {
    return this.queues.get(queue)?.messages.length ?? 0;
  }

  /** Whether a queue has been declared. */
  hasQueue(queue: string): boolean {
    return this.queues.has(queue);
  }

  /** Consumers of a queue (0 or 1 here). */
  consumerCount(queue: string): number {
    return this.queues.get(queue)?.consumer ? 1 : 0;
  }

  /** The messages waiting in a queue, oldest first (a copy: changing it changes nothing). */
  messages(queue: string): ConsumeMessage[] {
    return [...(this.queues.get(queue)?.messages ?? [])];
  }

  /** Takes one waiting message out of a queue; whether it was there. */
  remove(queue: string, message: ConsumeMessage): boolean {
    const messages = this.queues.get(queue)?.messages;
    const at = messages?.indexOf(message) ?? -1;
    if (at < 0) return false;
    messages!.splice(at, 1);
    return true;
  }

  /** Empties a queue; returns how many messages it held. */
  purge(queue: string): number {
    const q = this.queues.get(queue);
    if (!q) return 0;
    const count = q.messages.length;
    q.messages = [];
    return count;
  }

  /** Resolves once every queue with a consumer is empty and nothing is being handled. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return [...this.queues.values()].every((q) => !q.busy && (q.messages.length === 0 || !q.consumer));
  }

  private enqueue(queue: string, exchange: string, routingKey: string, content: Buffer, properties: Options.Publish): void {
    const { persistent, headers, ...rest } = properties;
    const message = {
      content,
      fields: { deliveryTag: ++this.deliveryTag, redelivered: false, exchange, routingKey, consumerTag: 'memory' },
      properties: { ...rest, headers: { ...headers }, deliveryMode: persistent === false ? 1 : 2 },
    } as unknown as ConsumeMessage;
    this.queues.get(queue)!.messages.push(message);
    for (const observer of this.observers) observer(queue, message);
    this.pump(queue);
  }

  private pump(name: string): void {
    const queue = this.queues.get(name);
    if (!queue || queue.busy || !queue.consumer || queue.messages.length === 0) return;
    queue.busy = true;
    const message = queue.messages.shift()!;
    const consumer = queue.consumer;
    setImmediate(() => {
      void consumer(message)
        .catch((): Settlement => 'reject')
        .then((settlement) => {
          if (settlement === 'reject' && queue.deadLetter) {
            this.publish(queue.deadLetter.exchange, queue.deadLetter.routingKey, message.content, {
              ...message.properties,
              headers: message.properties.headers,
            });
          }
          queue.busy = false;
          this.pump(name);
          if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    });
  }
}
