import type { ConfirmChannel, Options } from 'amqplib';
import { PublishBufferFullError } from '../errors/publish-buffer-full.error';
import { PublishNackError } from '../errors/publish-nack.error';
import { PublishTimeoutError } from '../errors/publish-timeout.error';
import { ConfirmPublisher } from './confirm-publisher';
import type { ManagedChannel } from './managed-channel';

type ConfirmCallback = (err: Error | null) => void;

interface SentMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: Options.Publish;
  cb: ConfirmCallback;
}

/** A ConfirmChannel that records each publish and lets the test confirm it. */
class FakeConfirmChannel {
  readonly sent: SentMessage[] = [];
  /** When set, `publish` throws like amqplib on a closed channel. */
  throwOnPublish = false;

  constructor(readonly name: string) {}

  publish(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish, cb: ConfirmCallback): boolean {
    if (this.throwOnPublish) throw new Error('Channel closed');
    this.sent.push({ exchange, routingKey, body, properties, cb });
    return true;
  }

  ack(i: number): void {
    this.sent[i].cb(null);
  }

  nack(i: number): void {
    this.sent[i].cb(new Error('message nacked'));
  }

  /** amqplib fails every unconfirmed publish with this when the channel closes. */
  close(i: number): void {
    this.sent[i].cb(new Error('channel closed'));
  }

  get asConfirmChannel(): ConfirmChannel {
    return this as unknown as ConfirmChannel;
  }
}

/** A ManagedChannel reduced to what the publisher reads: the `current` channel. */
class FakeManagedChannel {
  channel?: FakeConfirmChannel;

  get current(): ConfirmChannel | undefined {
    return this.channel?.asConfirmChannel;
  }

  get asManaged(): ManagedChannel<ConfirmChannel> {
    return this as unknown as ManagedChannel<ConfirmChannel>;
  }
}

/** Observes a promise's outcome without awaiting it. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const t: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (t.state = 'resolved'),
    (error) => {
      t.state = 'rejected';
      t.error = error;
    },
  );
  return t;
}

/** Lets promise callbacks run (microtasks only; no timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const TIMEOUT = 5_000;
let msgSeq = 0;

function props(id = `evt-${++msgSeq}`): Options.Publish {
  return { messageId: id, contentType: 'application/cloudevents+json', persistent: true };
}

describe('ConfirmPublisher', () => {
  let managed: FakeManagedChannel;
  let channelA: FakeConfirmChannel;
  let channelB: FakeConfirmChannel;

  function publisher(limits: Partial<{ timeoutMs: number; maxPending: number }> = {}): ConfirmPublisher {
    return new ConfirmPublisher(managed.asManaged, { timeoutMs: TIMEOUT, maxPending: 100, ...limits });
  }

  beforeEach(() => {
    jest.useFakeTimers();
    managed = new FakeManagedChannel();
    channelA = new FakeConfirmChannel('A');
    channelB = new FakeConfirmChannel('B');
  });

  afterEach(() => {
    jest.clearAllTimers();
    jest.useRealTimers();
  });

  describe('confirms', () => {
    it('sends on the current channel and resolves only on the ack', async () => {
      managed.channel = channelA;
      const p = publisher();
      const body = Buffer.from('{"x":1}');
      const properties = props('evt-a');

      const result = track(p.publish('main-exchange', 'ORDER_CREATED', body, properties));
      await settle();

      expect(channelA.sent).toHaveLength(1);
      expect(channelA.sent[0]).toMatchObject({ exchange: 'main-exchange', routingKey: 'ORDER_CREATED', body, properties });
      expect(result.state).toBe('pending');
      expect(p.pendingCount).toBe(1);

      channelA.ack(0);
      await settle();

      expect(result.state).toBe('resolved');
      expect(p.pendingCount).toBe(0);
    });

    it('matches each confirm to its own publish, in any order', async () => {
      managed.channel = channelA;
      const p = publisher();
      const first = track(p.publish('ex', 'T', Buffer.from('1'), props()));
      const second = track(p.publish('ex', 'T', Buffer.from('2'), props()));

      channelA.ack(1);
      await settle();
      expect(first.state).toBe('pending');
      expect(second.state).toBe('resolved');

      channelA.ack(0);
      await settle();
      expect(first.state).toBe('resolved');
    });

    it('rejects with PublishNackError when the broker nacks, naming the event', async () => {
      managed.channel = channelA;
      const p = publisher();
      const result = p.publish('ex', 'ORDER_CREATED', Buffer.from('{}'), props('evt-nacked'));

      channelA.nack(0);

      await expect(result).rejects.toBeInstanceOf(PublishNackError);
      await expect(result).rejects.toMatchObject({ eventId: 'evt-nacked', eventType: 'ORDER_CREATED' });
      expect(p.pendingCount).toBe(0);
      expect(channelA.sent).toHaveLength(1); // a nack is final: not sent again
    });

    it('ignores a second confirm of an already settled publish', async () => {
      managed.channel = channelA;
      const p = publisher();
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      channelA.ack(0);
      channelA.nack(0);
      await settle();

      expect(result.state).toBe('resolved');
    });
  });

  describe('channel closing under a message', () => {
    it('keeps the message waiting and resends it on the next channel given to flush', async () => {
      managed.channel = channelA;
      const p = publisher();
      const body = Buffer.from('{"order":1}');
      const properties = props('evt-close');
      const result = track(p.publish('ex', 'T', body, properties));

      channelA.close(0);
      managed.channel = undefined;
      await settle();

      expect(result.state).toBe('pending');
      expect(p.pendingCount).toBe(1);
      expect(channelA.sent).toHaveLength(1);

      managed.channel = channelB;
      p.flush(channelB.asConfirmChannel);

      expect(channelB.sent).toHaveLength(1);
      expect(channelB.sent[0]).toMatchObject({ exchange: 'ex', routingKey: 'T', body, properties });
      await settle();
      expect(result.state).toBe('pending');

      channelB.ack(0);
      await settle();
      expect(result.state).toBe('resolved');
    });

    it('ignores a late callback from the old channel once the message was resent', async () => {
      managed.channel = channelA;
      const p = publisher();
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      channelA.close(0);
      managed.channel = channelB;
      p.flush(channelB.asConfirmChannel);
      expect(channelB.sent).toHaveLength(1);

      channelA.ack(0); // stale: from the channel that died
      await settle();
      expect(result.state).toBe('pending');

      channelA.nack(0); // a stale nack must not fail it either
      await settle();
      expect(result.state).toBe('pending');

      channelB.ack(0);
      await settle();
      expect(result.state).toBe('resolved');
    });

    it('sends at once on a new channel that is already current when the close is reported', async () => {
      managed.channel = channelA;
      const p = publisher();
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      managed.channel = channelB; // reconnected before amqplib reported the old confirm
      channelA.close(0);

      expect(channelB.sent).toHaveLength(1);
      channelB.ack(0);
      await settle();
      expect(result.state).toBe('resolved');
    });

    it('keeps the message for the next channel when publish throws synchronously', async () => {
      channelA.throwOnPublish = true;
      managed.channel = channelA;
      const p = publisher();

      let promise: Promise<void> | undefined;
      expect(() => (promise = p.publish('ex', 'T', Buffer.from('{}'), props('evt-throw')))).not.toThrow();
      const result = track(promise!);
      await settle();

      expect(result.state).toBe('pending');
      expect(p.pendingCount).toBe(1);

      managed.channel = channelB;
      p.flush(channelB.asConfirmChannel);

      expect(channelB.sent).toHaveLength(1);
      expect(channelB.sent[0].properties.messageId).toBe('evt-throw');
      channelB.ack(0);
      await settle();
      expect(result.state).toBe('resolved');
    });
  });

  describe('no channel yet', () => {
    it('waits while current is undefined and flush sends every waiting message in order', async () => {
      const p = publisher();
      const first = track(p.publish('ex', 'T1', Buffer.from('1'), props('w-1')));
      const second = track(p.publish('ex', 'T2', Buffer.from('2'), props('w-2')));
      await settle();

      expect(first.state).toBe('pending');
      expect(second.state).toBe('pending');
      expect(p.pendingCount).toBe(2);

      managed.channel = channelA;
      p.flush(channelA.asConfirmChannel);

      expect(channelA.sent.map((m) => m.properties.messageId)).toEqual(['w-1', 'w-2']);
      expect(channelA.sent.map((m) => m.routingKey)).toEqual(['T1', 'T2']);

      channelA.ack(0);
      channelA.ack(1);
      await settle();
      expect(first.state).toBe('resolved');
      expect(second.state).toBe('resolved');
    });

    it('sends nothing twice when flush is called again', () => {
      const p = publisher();
      void p.publish('ex', 'T', Buffer.from('1'), props());

      p.flush(channelA.asConfirmChannel);
      p.flush(channelA.asConfirmChannel);
      p.flush(channelB.asConfirmChannel);

      expect(channelA.sent).toHaveLength(1);
      expect(channelB.sent).toHaveLength(0);
    });
  });

  describe('bounded buffer', () => {
    it('rejects at once with PublishBufferFullError beyond maxPending unsettled publishes', async () => {
      managed.channel = channelA;
      const p = publisher({ maxPending: 2 });
      const a = track(p.publish('ex', 'T', Buffer.from('1'), props()));
      const b = track(p.publish('ex', 'T', Buffer.from('2'), props()));

      const refused = p.publish('ex', 'ORDER_CREATED', Buffer.from('3'), props('evt-refused'));

      await expect(refused).rejects.toBeInstanceOf(PublishBufferFullError);
      await expect(refused).rejects.toMatchObject({ eventId: 'evt-refused', eventType: 'ORDER_CREATED', limit: 2 });
      expect(channelA.sent).toHaveLength(2); // the refused one was not sent
      expect(p.pendingCount).toBe(2);
      expect(a.state).toBe('pending');
      expect(b.state).toBe('pending');
    });

    it('counts messages waiting for a channel, and accepts again once one settled', async () => {
      const p = publisher({ maxPending: 1 });
      const waiting = track(p.publish('ex', 'T', Buffer.from('1'), props()));

      await expect(p.publish('ex', 'T', Buffer.from('2'), props())).rejects.toBeInstanceOf(PublishBufferFullError);

      managed.channel = channelA;
      p.flush(channelA.asConfirmChannel);
      channelA.ack(0);
      await settle();
      expect(waiting.state).toBe('resolved');

      const next = track(p.publish('ex', 'T', Buffer.from('3'), props()));
      await settle();
      expect(next.state).toBe('pending');
      expect(channelA.sent).toHaveLength(2);
    });
  });

  describe('timeout', () => {
    it('rejects with PublishTimeoutError after timeoutMs without a confirm', async () => {
      managed.channel = channelA;
      const p = publisher({ timeoutMs: 1_000 });
      const promise = p.publish('ex', 'ORDER_CREATED', Buffer.from('{}'), props('evt-slow'));
      const result = track(promise);

      jest.advanceTimersByTime(999);
      await settle();
      expect(result.state).toBe('pending');

      jest.advanceTimersByTime(1);
      await settle();
      expect(result.state).toBe('rejected');
      expect(result.error).toBeInstanceOf(PublishTimeoutError);
      expect(result.error).toMatchObject({ eventId: 'evt-slow', eventType: 'ORDER_CREATED', timeoutMs: 1_000 });
      expect(p.pendingCount).toBe(0);

      channelA.ack(0); // too late: ignored
      await settle();
      expect(result.state).toBe('rejected');
    });

    it('times out a publish waiting for a channel, which flush then does not send', async () => {
      const p = publisher({ timeoutMs: 1_000 });
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      jest.advanceTimersByTime(1_000);
      await settle();
      expect(result.error).toBeInstanceOf(PublishTimeoutError);

      p.flush(channelA.asConfirmChannel);
      expect(channelA.sent).toHaveLength(0);
    });

    it('does not time out a publish that was confirmed in time', async () => {
      managed.channel = channelA;
      const p = publisher({ timeoutMs: 1_000 });
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      channelA.ack(0);
      jest.advanceTimersByTime(10_000);
      await settle();

      expect(result.state).toBe('resolved');
      expect(jest.getTimerCount()).toBe(0);
    });

    it('counts the time across a channel loss (the deadline is not reset by a resend)', async () => {
      managed.channel = channelA;
      const p = publisher({ timeoutMs: 1_000 });
      const result = track(p.publish('ex', 'T', Buffer.from('{}'), props()));

      jest.advanceTimersByTime(600);
      channelA.close(0);
      managed.channel = channelB;
      p.flush(channelB.asConfirmChannel);
      jest.advanceTimersByTime(400);
      await settle();

      expect(result.error).toBeInstanceOf(PublishTimeoutError);
    });
  });

  describe('whenIdle', () => {
    it('resolves at once when nothing is pending', async () => {
      const idle = track(publisher().whenIdle());
      await settle();
      expect(idle.state).toBe('resolved');
    });

    it('resolves once every publish settled, whatever the outcome', async () => {
      managed.channel = channelA;
      const p = publisher();
      const ok = p.publish('ex', 'T', Buffer.from('1'), props());
      const nacked = p.publish('ex', 'T', Buffer.from('2'), props());
      nacked.catch(() => undefined);
      const idle = track(p.whenIdle());

      channelA.ack(0);
      await settle();
      expect(idle.state).toBe('pending');

      channelA.nack(1);
      await settle();
      expect(idle.state).toBe('resolved');
      await expect(ok).resolves.toBeUndefined();
    });

    it('resolves once a timed-out publish settled', async () => {
      const p = publisher({ timeoutMs: 100 });
      p.publish('ex', 'T', Buffer.from('1'), props()).catch(() => undefined);
      const idle = track(p.whenIdle());

      await settle();
      expect(idle.state).toBe('pending');
      jest.advanceTimersByTime(100);
      await settle();
      expect(idle.state).toBe('resolved');
    });
  });

  describe('failAll', () => {
    it('rejects every unsettled publish, sent or waiting, with the given error', async () => {
      managed.channel = channelA;
      const p = publisher();
      const sent = track(p.publish('ex', 'T', Buffer.from('1'), props()));
      channelA.close(0); // now waiting for the next channel
      managed.channel = undefined;
      const queued = track(p.publish('ex', 'T', Buffer.from('2'), props()));
      const idle = track(p.whenIdle());
      await settle();
      expect(sent.state).toBe('pending');
      expect(queued.state).toBe('pending');

      const closing = new Error('event bus closed');
      p.failAll(closing);
      await settle();

      expect(sent).toEqual({ state: 'rejected', error: closing });
      expect(queued).toEqual({ state: 'rejected', error: closing });
      expect(idle.state).toBe('resolved');
      expect(p.pendingCount).toBe(0);

      p.flush(channelB.asConfirmChannel);
      expect(channelB.sent).toHaveLength(0);
    });

    it('rejects a publish in flight on the channel; its later confirm is ignored', async () => {
      managed.channel = channelA;
      const p = publisher();
      const inFlight = track(p.publish('ex', 'T', Buffer.from('1'), props()));

      p.failAll(new Error('closing'));
      channelA.ack(0);
      await settle();

      expect(inFlight.state).toBe('rejected');
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
