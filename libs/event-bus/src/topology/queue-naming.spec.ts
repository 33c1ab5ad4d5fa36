import { deadLetterQueueName, defaultQueueName, eventTypeProblem, handlerQueueName, instanceQueueName } from './queue-naming';

describe('queue naming (docs/topology.md)', () => {
  it('default queue of a handler is <serviceName>.<type>', () => {
    expect(defaultQueueName('billing', 'ORDER_CREATED')).toBe('billing.ORDER_CREATED');
  });

  it('one of several handlers of a type in one service gets <serviceName>.<type>.<Class>.<method>', () => {
    expect(handlerQueueName('billing', 'ORDER_CREATED', 'InvoiceHandler', 'onOrder')).toBe('billing.ORDER_CREATED.InvoiceHandler.onOrder');
  });

  it('is deterministic and distinguishes services (fan-out) and handlers', () => {
    expect(defaultQueueName('billing', 'T')).toBe(defaultQueueName('billing', 'T'));
    expect(defaultQueueName('billing', 'T')).not.toBe(defaultQueueName('shipping', 'T'));
    expect(handlerQueueName('s', 'T', 'A', 'm')).not.toBe(handlerQueueName('s', 'T', 'A', 'n'));
    expect(handlerQueueName('s', 'T', 'A', 'm')).not.toBe(handlerQueueName('s', 'T', 'B', 'm'));
  });

  it('dead-letter queue is <queue>.dlq', () => {
    expect(deadLetterQueueName('billing.ORDER_CREATED')).toBe('billing.ORDER_CREATED.dlq');
    expect(deadLetterQueueName('custom-queue')).toBe('custom-queue.dlq');
  });

  it('a private (non-durable) queue is the base name plus the instance id', () => {
    expect(instanceQueueName('billing.ORDER_CREATED', 'a1b2')).toBe('billing.ORDER_CREATED.a1b2');
    expect(instanceQueueName('q', 'one')).not.toBe(instanceQueueName('q', 'two'));
  });
});

describe('eventTypeProblem', () => {
  it.each(['USER_CREATED', 'order.created', 'billing:invoice-paid', 'a', 'A1_b.c:d-e', 'x'.repeat(200)])('accepts %s', (type) => {
    expect(eventTypeProblem(type)).toBeUndefined();
  });

  it.each([
    ['a topic wildcard *', 'order.*'],
    ['a topic wildcard #', 'order.#'],
    ['a lone #', '#'],
    ['a space', 'ORDER CREATED'],
    ['a tab', 'ORDER\tCREATED'],
    ['a newline', 'ORDER_CREATED\n'],
    ['a slash', 'order/created'],
    ['a non-ASCII letter', 'commande_créée'],
    ['empty', ''],
    ['201 chars', 'x'.repeat(201)],
  ])('refuses %s', (_label, type) => {
    const problem = eventTypeProblem(type);
    expect(problem).toEqual(expect.stringContaining('type must be 1-200'));
  });

  it.each([undefined, null, 42, {}, ['T']])('refuses the non-string %p', (type) => {
    expect(eventTypeProblem(type)).toEqual(expect.stringContaining('type must be'));
  });

  it('quotes the refused value', () => {
    expect(eventTypeProblem('order.*')).toContain('"order.*"');
  });
});
