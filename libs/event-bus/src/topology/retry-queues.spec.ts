import type { Channel } from 'amqplib';
import { QueueArgumentsMismatchError } from '../errors/queue-arguments-mismatch.error';
import { retryWaitQueueName } from './queue-naming';
import { assertRetryQueues, retryWaitQueueArguments } from './retry-queues';

const MISMATCH_MESSAGE =
  'Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg ' +
  "'x-message-ttl' for queue 'q.retry.100' in vhost '/': received the value '100' of type 'signedint' but current is none\"";

/** A channel recording assertQueue calls; `failWith` makes the next call reject. */
class FakeChannel {
  readonly asserted: Array<{ queue: string; options: unknown }> = [];
  failWith: unknown;

  async assertQueue(queue: string, options: unknown): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    this.asserted.push({ queue, options });
    if (this.failWith !== undefined) throw this.failWith;
    return { queue, messageCount: 0, consumerCount: 0 };
  }
}

const asChannel = (fake: FakeChannel) => fake as unknown as Channel;

describe('retryWaitQueueName', () => {
  it('is <queue>.retry.<delay>', () => {
    expect(retryWaitQueueName('orders.ORDER_PLACED', 100)).toBe('orders.ORDER_PLACED.retry.100');
    expect(retryWaitQueueName('q', 0)).toBe('q.retry.0');
  });
});

describe('retryWaitQueueArguments', () => {
  it('expires messages after the delay and dead-letters them through the default exchange back to the queue', () => {
    expect(retryWaitQueueArguments('orders.ORDER_PLACED', 400)).toEqual({
      'x-queue-type': 'classic',
      'x-message-ttl': 400,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'orders.ORDER_PLACED',
    });
  });
});

describe('retryWaitQueueArguments for quorum queues', () => {
  it('declares a quorum wait queue that dead-letters back at least once', () => {
    expect(retryWaitQueueArguments('orders.ORDER_PLACED', 400, 'quorum')).toEqual({
      'x-queue-type': 'quorum',
      'x-message-ttl': 400,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'orders.ORDER_PLACED',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
  });

  it('keeps classic wait queues exactly as before (no new arguments)', () => {
    expect(retryWaitQueueArguments('q', 100, 'classic')).toEqual(retryWaitQueueArguments('q', 100));
  });
});

describe('assertRetryQueues', () => {
  it('declares one durable wait queue per delay with its arguments, in order', async () => {
    const channel = new FakeChannel();

    await assertRetryQueues(asChannel(channel), 'q', [100, 200, 400]);

    expect(channel.asserted).toEqual(
      [100, 200, 400].map((delay) => ({
        queue: `q.retry.${delay}`,
        options: { durable: true, arguments: retryWaitQueueArguments('q', delay) },
      })),
    );
  });

  it('declares nothing without delays', async () => {
    const channel = new FakeChannel();
    await assertRetryQueues(asChannel(channel), 'q', []);
    expect(channel.asserted).toEqual([]);
  });

  it('turns a PRECONDITION_FAILED (406) into a QueueArgumentsMismatchError naming the queue and the difference', async () => {
    const channel = new FakeChannel();
    channel.failWith = Object.assign(new Error(MISMATCH_MESSAGE), { code: 406, classId: 50, methodId: 10 });

    const error = await assertRetryQueues(asChannel(channel), 'q', [100, 200]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QueueArgumentsMismatchError);
    const mismatch = error as QueueArgumentsMismatchError;
    expect(mismatch.name).toBe('QueueArgumentsMismatchError');
    expect(mismatch.queue).toBe('q.retry.100');
    expect(mismatch.difference).toContain("inequivalent arg 'x-message-ttl' for queue 'q.retry.100'");
    expect(mismatch.difference).toContain("received the value '100' of type 'signedint' but current is none");
    expect(mismatch.difference).not.toContain('Channel closed by server');
    expect(mismatch.declaredArguments).toEqual(retryWaitQueueArguments('q', 100));
    expect(mismatch.message).toContain('Queue "q.retry.100" already exists with different arguments');
    expect(mismatch.message).toContain("inequivalent arg 'x-message-ttl'");
    // The first failure stops the declaration: the channel is gone anyway.
    expect(channel.asserted.map((a) => a.queue)).toEqual(['q.retry.100']);
  });

  it('reports the broker description exactly, without the closing quote amqplib wraps around it', async () => {
    const channel = new FakeChannel();
    channel.failWith = Object.assign(new Error(MISMATCH_MESSAGE), { code: 406 });

    const error = (await assertRetryQueues(asChannel(channel), 'q', [100]).catch((e: unknown) => e)) as QueueArgumentsMismatchError;

    expect(error.difference).toBe(
      "inequivalent arg 'x-message-ttl' for queue 'q.retry.100' in vhost '/': received the value '100' of type 'signedint' but current is none",
    );
  });

  it('passes any other broker error through unchanged', async () => {
    const channel = new FakeChannel();
    const other = Object.assign(new Error('Channel closed by server: 404 (NOT-FOUND)'), { code: 404 });
    channel.failWith = other;

    await expect(assertRetryQueues(asChannel(channel), 'q', [100])).rejects.toBe(other);
  });

  it('passes an error without a code through unchanged', async () => {
    const channel = new FakeChannel();
    const closed = new Error('Channel closed');
    channel.failWith = closed;

    await expect(assertRetryQueues(asChannel(channel), 'q', [100])).rejects.toBe(closed);
  });
});
