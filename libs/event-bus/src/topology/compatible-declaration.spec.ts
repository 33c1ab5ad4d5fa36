import type { Channel } from 'amqplib';
import { QueueArgumentsMismatchError } from '../errors/queue-arguments-mismatch.error';
import { declareQueueCompatibly, earlierArguments, type DeclarationChannels } from './compatible-declaration';
import { QUORUM_ARGUMENTS_ADDED_LATER } from './queue-arguments';

/** The broker's words for one differing argument, as RabbitMQ 3.10 writes them. */
const lacks = (name: string, value: string, type: string) =>
  `inequivalent arg '${name}' for queue 'q' in vhost '/': received the value '${value}' of type '${type}' but current is none`;

const QUORUM = {
  'x-queue-type': 'quorum',
  'x-dead-letter-exchange': 'dlx',
  'x-dead-letter-routing-key': 'q.dlq',
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
  'x-delivery-limit': 20,
};
const LEGACY = { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'q.dlq' };
const earlier = { addedLater: QUORUM_ARGUMENTS_ADDED_LATER };

describe('earlierArguments', () => {
  it('drops an argument added later that the existing queue lacks', () => {
    expect(earlierArguments(lacks('x-delivery-limit', '20', 'byte'), QUORUM, earlier)).toEqual({
      ...LEGACY,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
  });

  it('does not explain a differing value of an argument the queue has', () => {
    const difference = "inequivalent arg 'x-delivery-limit' for queue 'q' in vhost '/': received '20' but current is '5'";
    expect(earlierArguments(difference, QUORUM, earlier)).toBeUndefined();
  });

  it('does not explain a missing argument that is not one added later', () => {
    expect(earlierArguments(lacks('x-dead-letter-exchange', 'dlx', 'longstr'), QUORUM, earlier)).toBeUndefined();
  });

  it('does not explain an argument the queue has and this declaration lacks', () => {
    const difference =
      "inequivalent arg 'x-max-length' for queue 'q' in vhost '/': received none but current is the value '10' of type 'long'";
    expect(earlierArguments(difference, QUORUM, earlier)).toBeUndefined();
  });

  it("switches to the earlier type's arguments for a queue of that type, and only then", () => {
    const classic = { 'x-queue-type': 'classic', 'x-message-ttl': 100 };
    const typeDiffers = "inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'quorum' but current is 'classic'";
    expect(earlierArguments(typeDiffers, { 'x-queue-type': 'quorum' }, { ...earlier, earlierType: { classic } })).toEqual(classic);
    expect(earlierArguments(typeDiffers, { 'x-queue-type': 'quorum' }, earlier)).toBeUndefined();
    const streamDiffers = "inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'quorum' but current is 'stream'";
    expect(earlierArguments(streamDiffers, { 'x-queue-type': 'quorum' }, { ...earlier, earlierType: { classic } })).toBeUndefined();
  });

  it("ignores text that is not the broker's equivalence message", () => {
    expect(earlierArguments('something else', QUORUM, earlier)).toBeUndefined();
  });
});

/** Channels on a fake broker holding one queue declared with `existing` arguments (none: the queue does not exist). */
function fakeBroker(existing?: Record<string, unknown>) {
  const declared: Array<Record<string, unknown>> = [];
  const warnings: string[] = [];
  let opened = 0;
  let closed = 0;
  const channels: DeclarationChannels = {
    open: async () => {
      opened++;
      return {
        on: () => undefined,
        close: async () => void closed++,
        assertQueue: async (_queue: string, options: { arguments: Record<string, unknown> }) => {
          declared.push(options.arguments);
          if (!existing) return {};
          for (const name of new Set([...Object.keys(existing), ...Object.keys(options.arguments)])) {
            if (existing[name] === options.arguments[name]) continue;
            const message =
              name in existing
                ? `inequivalent arg '${name}' for queue 'q' in vhost '/': received '${String(options.arguments[name] ?? 'none')}' but current is '${String(existing[name])}'`
                : lacks(name, String(options.arguments[name]), 'longstr');
            throw Object.assign(
              new Error(`Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - ${message}"`),
              {
                code: 406,
              },
            );
          }
          return {};
        },
      } as unknown as Channel;
    },
    warn: (message) => void warnings.push(message),
  };
  return { channels, declared, warnings, counts: () => ({ opened, closed }) };
}

describe('declareQueueCompatibly', () => {
  it('declares a new queue with every argument, on one channel, without a warning', async () => {
    const broker = fakeBroker();
    await expect(declareQueueCompatibly(broker.channels, 'q', { durable: true, arguments: QUORUM }, earlier)).resolves.toEqual(QUORUM);
    expect(broker.declared).toEqual([QUORUM]);
    expect(broker.warnings).toEqual([]);
    expect(broker.counts()).toEqual({ opened: 1, closed: 1 });
  });

  it('keeps a queue an earlier version declared, dropping the arguments it lacks one by one, and warns once', async () => {
    const broker = fakeBroker(LEGACY);
    await expect(declareQueueCompatibly(broker.channels, 'q', { durable: true, arguments: QUORUM }, earlier)).resolves.toEqual(LEGACY);
    expect(broker.declared).toHaveLength(4);
    expect(broker.counts()).toEqual({ opened: 4, closed: 4 });
    expect(broker.warnings).toHaveLength(1);
    expect(broker.warnings[0]).toContain('Queue "q" exists as an earlier version declared it');
    for (const name of QUORUM_ARGUMENTS_ADDED_LATER) expect(broker.warnings[0]).toContain(name);
  });

  it('fails with QueueArgumentsMismatchError on a difference no earlier version explains', async () => {
    const broker = fakeBroker({ ...QUORUM, 'x-delivery-limit': 5 });
    const error = await declareQueueCompatibly(broker.channels, 'q', { durable: true, arguments: QUORUM }, earlier).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueArgumentsMismatchError);
    expect((error as QueueArgumentsMismatchError).difference).toContain("'x-delivery-limit'");
    expect(broker.counts()).toEqual({ opened: 1, closed: 1 });
  });
});
