import {
  consumerQueueOptions,
  deadLetterQueueOptions,
  DEFAULT_DELIVERY_LIMIT,
  QUORUM_ARGUMENTS_ADDED_LATER,
  type QueueDeclaration,
} from './queue-arguments';

const base: QueueDeclaration = {
  queue: 'billing.ORDER_CREATED',
  durable: true,
  queueType: 'classic',
  ordered: false,
  deadLetterExchange: 'dlq-exchange',
  deadLetterQueue: 'billing.ORDER_CREATED.dlq',
};

describe('consumerQueueOptions', () => {
  it('declares a durable classic queue that dead-letters to <queue>.dlq through the DLX', () => {
    expect(consumerQueueOptions(base)).toEqual({
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: {
        'x-dead-letter-exchange': 'dlq-exchange',
        'x-dead-letter-routing-key': 'billing.ORDER_CREATED.dlq',
        'x-queue-type': 'classic',
      },
    });
  });

  it('gives a durable quorum queue at-least-once dead-lettering and the delivery limit', () => {
    expect(consumerQueueOptions({ ...base, queueType: 'quorum', deliveryLimit: 7 }).arguments).toEqual({
      'x-dead-letter-exchange': 'dlq-exchange',
      'x-dead-letter-routing-key': 'billing.ORDER_CREATED.dlq',
      'x-queue-type': 'quorum',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-delivery-limit': 7,
    });
    expect(consumerQueueOptions({ ...base, queueType: 'quorum' }).arguments['x-delivery-limit']).toBe(DEFAULT_DELIVERY_LIMIT);
  });

  it('adds none of the quorum arguments to classic or private queues', () => {
    for (const d of [base, { ...base, durable: false, queueType: 'quorum' as const }]) {
      const args = consumerQueueOptions({ ...d, deliveryLimit: 7 }).arguments;
      for (const name of QUORUM_ARGUMENTS_ADDED_LATER) expect(name in args).toBe(false);
    }
  });

  it('declares a durable quorum queue', () => {
    const options = consumerQueueOptions({ ...base, queueType: 'quorum' });

    expect(options.durable).toBe(true);
    expect(options.exclusive).toBe(false);
    expect(options.autoDelete).toBe(false);
    expect(options.arguments['x-queue-type']).toBe('quorum');
    expect(options.arguments['x-dead-letter-exchange']).toBe('dlq-exchange');
    expect(options.arguments['x-dead-letter-routing-key']).toBe('billing.ORDER_CREATED.dlq');
  });

  it('allows a single active consumer for an ordered queue, and only then', () => {
    expect(consumerQueueOptions({ ...base, ordered: true }).arguments).toEqual({
      'x-dead-letter-exchange': 'dlq-exchange',
      'x-dead-letter-routing-key': 'billing.ORDER_CREATED.dlq',
      'x-queue-type': 'classic',
      'x-single-active-consumer': true,
    });
    expect(consumerQueueOptions({ ...base, ordered: true, queueType: 'quorum' }).arguments['x-single-active-consumer']).toBe(true);
    expect('x-single-active-consumer' in consumerQueueOptions(base).arguments).toBe(false);
  });

  it('declares a private queue non-durable, exclusive and auto-delete, still dead-lettering to the durable DLQ', () => {
    const options = consumerQueueOptions({
      ...base,
      queue: 'billing.ORDER_CREATED.inst-1',
      durable: false,
      deadLetterQueue: 'billing.ORDER_CREATED.dlq',
    });

    expect(options).toEqual({
      durable: false,
      exclusive: true,
      autoDelete: true,
      arguments: {
        'x-dead-letter-exchange': 'dlq-exchange',
        'x-dead-letter-routing-key': 'billing.ORDER_CREATED.dlq',
      },
    });
  });

  it('never declares an exclusive queue as quorum (RabbitMQ refuses it)', () => {
    const options = consumerQueueOptions({ ...base, durable: false, queueType: 'quorum', ordered: true });

    expect(options.exclusive).toBe(true);
    expect('x-queue-type' in options.arguments).toBe(false);
  });

  it('is deterministic: same declaration, same arguments (restart-safe)', () => {
    expect(consumerQueueOptions({ ...base })).toEqual(consumerQueueOptions({ ...base }));
  });
});

describe('deadLetterQueueOptions', () => {
  it('is always durable, shared and kept, with the configured queue type', () => {
    for (const durable of [true, false]) {
      for (const queueType of ['classic', 'quorum'] as const) {
        expect(deadLetterQueueOptions({ ...base, durable, queueType })).toEqual({
          durable: true,
          exclusive: false,
          autoDelete: false,
          arguments: { 'x-queue-type': queueType },
        });
      }
    }
  });

  it('does not dead-letter the dead letters again', () => {
    const args = deadLetterQueueOptions(base).arguments;
    expect('x-dead-letter-exchange' in args).toBe(false);
    expect('x-dead-letter-routing-key' in args).toBe(false);
  });
});
