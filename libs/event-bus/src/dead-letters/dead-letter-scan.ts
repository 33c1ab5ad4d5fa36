import type { Channel, ConsumeMessage } from 'amqplib';

/** Highest prefetch count AMQP can express (a 16-bit field); 0 means "no limit". */
const MAX_PREFETCH = 65_535;

/** How long a scan waits for the next delivery before asking the broker whether any are left. */
const STALL_CHECK_MS = 200;

/**
 * Walks a queue from its head, in order, with a consumer on `channel`, handing each message to
 * `visit` as it arrives; `visit` returns `false` to stop. Resolves with how many were seen.
 *
 * Nothing is acked: each message stays unacknowledged until the caller acks it or closes the
 * channel, which puts every message it holds back in its original place. So a scan neither loses
 * nor reorders messages, and `visit` runs synchronously in the delivery callback: nothing is
 * buffered, only what `visit` keeps stays in memory, whatever the queue's length.
 *
 * A consumer rather than `basic.get`: one round trip per message made a scan of 20,000 dead
 * letters take 6 s, against under 1 s with deliveries streamed under a prefetch window.
 *
 * @param expected most messages to take (the queue's depth when the scan starts, at most): the
 *   prefetch window, so the broker sends no more than that.
 */
export async function scanQueue(
  channel: Channel,
  queue: string,
  expected: number,
  visit: (message: ConsumeMessage, index: number) => boolean,
): Promise<number> {
  if (expected <= 0) return 0;
  await channel.prefetch(expected <= MAX_PREFETCH ? expected : 0);
  let seen = 0;
  let done = false;
  let settle!: (error?: Error) => void;
  const finished = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  const finish = (error?: Error) => {
    if (done) return;
    done = true;
    settle(error);
  };
  // A channel lost mid-scan must fail the read, not pass off what was seen so far as the whole.
  const lost = () => finish(new Error(`The channel closed while reading ${queue}; nothing was taken, try again`));
  channel.once('close', lost);
  const { consumerTag } = await channel.consume(
    queue,
    (message) => {
      if (done) return; // in flight when the scan stopped: returned when the channel closes
      if (!message) return finish(); // the broker cancelled the consumer (queue deleted)
      try {
        if (!visit(message, seen++) || seen >= expected) finish();
      } catch (err) {
        finish(err as Error); // a failing visitor fails the scan, not amqplib's delivery loop
      }
    },
    { noAck: false },
  );
  // Fewer messages may come than expected (another reader holds some, or a replay took them
  // meanwhile): once deliveries pause and none is ready any more, the scan is over.
  let lastSeen = -1;
  const stallCheck = setInterval(() => {
    if (seen !== lastSeen) return void (lastSeen = seen);
    channel.checkQueue(queue).then(
      (reply) => reply.messageCount === 0 && finish(),
      (err: Error) => finish(err),
    );
  }, STALL_CHECK_MS);
  try {
    await finished;
  } finally {
    clearInterval(stallCheck);
    channel.removeListener('close', lost);
    await channel.cancel(consumerTag).catch(() => undefined);
  }
  return seen;
}
