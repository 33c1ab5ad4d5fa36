import * as amqp from 'amqplib';
import { runCommand } from './run-command';
import { RABBITMQ_URL, type TestTopology } from './test-names';

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

  /** Whether a queue exists (a passive declare on a throwaway channel). */
  async exists(queue: string): Promise<boolean> {
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    try {
      await ch.checkQueue(queue);
      return true;
    } catch {
      return false;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Polls `queue` until a message arrives (consumed, acked). */
  async nextMessage(queue: string, timeoutMs = 10_000): Promise<amqp.GetMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (message) return message;
      if (Date.now() > deadline) throw new Error(`No message on ${queue} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Deletes queues and exchanges a test created; missing ones are fine. */
  async cleanup({ queues = [], exchanges = [] }: { queues?: string[]; exchanges?: string[] }): Promise<void> {
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
    for (const e of exchanges) await ch.deleteExchange(e).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }

  /** Deletes a test's exchanges and its handler queues with their DLQs and retry wait queues. */
  async cleanupTopology(topology: TestTopology, queues: readonly string[], retryDelays: readonly number[] = [50]): Promise<void> {
    await this.cleanup({
      queues: queues.flatMap((q) => [q, `${q}.dlq`, ...retryDelays.map((d) => `${q}.retry.${d}`)]),
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

/**
 * Messages delivered but not yet acked on a queue of the shared broker. AMQP cannot tell,
 * so this asks `rabbitmqctl` (slow, about a second: use it for final checks only).
 */
export async function unackedCount(queue: string): Promise<number> {
  const { code, stdout, stderr } = await runCommand('rabbitmqctl', [
    'list_queues',
    '-q',
    '--no-table-headers',
    'name',
    'messages_unacknowledged',
  ]);
  if (code !== 0) throw new Error(`rabbitmqctl list_queues failed (${code}): ${stderr.trim()}`);
  const line = stdout.split('\n').find((l) => l.split(/\s+/)[0] === queue);
  return line ? Number(line.trim().split(/\s+/)[1]) : 0;
}
