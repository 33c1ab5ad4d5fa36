import * as amqp from 'amqplib';
import { RABBITMQ_URL } from './test-names';

/**
 * A plain amqplib connection for what a test must do around the library: inspect raw
 * messages, publish as a foreign producer, pre-declare queues, clean up.
 */
export class RawAmqp {
  private constructor(
    readonly connection: amqp.ChannelModel,
    readonly channel: amqp.ConfirmChannel,
  ) {}

  static async connect(url = RABBITMQ_URL): Promise<RawAmqp> {
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    return new RawAmqp(connection, channel);
  }

  /** Publishes and waits for the confirm. */
  async publish(exchange: string, routingKey: string, body: Buffer | string, options: amqp.Options.Publish = {}): Promise<void> {
    this.channel.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), options);
    await this.channel.waitForConfirms();
  }

  /** Messages ready in a queue (0 if it does not exist). */
  async depth(queue: string): Promise<number> {
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } catch {
      return 0;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Gets one message without acking it for good (it is requeued on close). */
  async get(queue: string): Promise<amqp.GetMessage | false> {
    return this.channel.get(queue, { noAck: true });
  }

  /** Deletes queues and exchanges a test created; missing ones are fine. */
  async cleanup({ queues = [], exchanges = [] }: { queues?: string[]; exchanges?: string[] }): Promise<void> {
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
    for (const e of exchanges) await ch.deleteExchange(e).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
