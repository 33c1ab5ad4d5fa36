import type { Channel, Message } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

/** Records what the coalescer sends; delivery tags are all the coalescer reads of a message. */
function recordingChannel() {
  const sent: string[] = [];
  const channel = {
    ack: (m: Message, allUpTo?: boolean) => sent.push(`ack ${m.fields.deliveryTag}${allUpTo ? ' multiple' : ''}`),
    nack: (m: Message, allUpTo?: boolean, requeue?: boolean) =>
      sent.push(`nack ${m.fields.deliveryTag}${allUpTo ? ' multiple' : ''}${requeue ? ' requeue' : ''}`),
  };
  return { channel: channel as unknown as Channel, sent };
}

const delivery = (tag: number) => ({ fields: { deliveryTag: tag } }) as Message;
const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AckCoalescer', () => {
  it('acks a run of finished deliveries with one multiple ack at the end of the turn', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    const messages = [1, 2, 3, 4].map(delivery);
    messages.forEach((m) => acks.delivered(m));

    messages.forEach((m) => acks.ack(m));
    expect(sent).toEqual([]);
    await endOfTurn();

    expect(sent).toEqual(['ack 4 multiple']);
    expect(acks.outstanding).toBe(0);
  });

  it('acks finished deliveries behind one in progress one by one, never covering it', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    const [m1, m2, m3, m4] = [1, 2, 3, 4].map(delivery) as [Message, Message, Message, Message];
    [m1, m2, m3, m4].forEach((m) => acks.delivered(m));

    acks.ack(m1);
    acks.ack(m3);
    acks.ack(m4);
    await endOfTurn();
    expect(sent).toEqual(['ack 1 multiple', 'ack 3', 'ack 4']);
    expect(acks.outstanding).toBe(1);

    acks.ack(m2);
    await endOfTurn();
    expect(sent.slice(3)).toEqual(['ack 2 multiple']);
    expect(acks.outstanding).toBe(0);
  });

  it('sends rejections at once and lets a later multiple ack run past them', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    const [m1, m2, m3] = [1, 2, 3].map(delivery) as [Message, Message, Message];
    [m1, m2, m3].forEach((m) => acks.delivered(m));

    acks.nack(m2, false);
    acks.nack(m3, true);
    expect(sent).toEqual(['nack 2', 'nack 3 requeue']);

    acks.ack(m1);
    await endOfTurn();
    expect(sent.slice(2)).toEqual(['ack 1 multiple']);
    expect(acks.outstanding).toBe(0);
  });

  it('sends waiting acks on flush without waiting for the turn to end', () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    const m1 = delivery(1);
    acks.delivered(m1);
    acks.ack(m1);

    acks.flush();

    expect(sent).toEqual(['ack 1 multiple']);
  });

  it('keeps working across many turns and thousands of deliveries', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    for (let tag = 1; tag <= 5_000; tag++) {
      const m = delivery(tag);
      acks.delivered(m);
      acks.ack(m);
      if (tag % 100 === 0) await endOfTurn();
    }
    await endOfTurn();

    expect(sent).toHaveLength(50);
    expect(sent.at(-1)).toBe('ack 5000 multiple');
    expect(acks.outstanding).toBe(0);
  });

  it('keeps delivery tags rather than the messages (a message body pins its socket chunk)', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckCoalescer(channel);
    const message = { fields: { deliveryTag: 1 }, content: Buffer.alloc(64 * 1024) } as unknown as Message;
    acks.delivered(message);
    acks.ack(message);
    // Whatever happens to the message object afterwards, the coalescer acks what it recorded.
    (message.fields as { deliveryTag: number }).deliveryTag = 999;
    await endOfTurn();
    expect(sent).toEqual(['ack 1 multiple']);
  });

  it('swallows the error of a channel that closed before the end of the turn', async () => {
    const channel = {
      ack: () => {
        throw new Error('Channel closed');
      },
    } as unknown as Channel;
    const acks = new AckCoalescer(channel);
    const m1 = delivery(1);
    acks.delivered(m1);
    acks.ack(m1);
    await expect(endOfTurn()).resolves.toBeUndefined();
  });
});
