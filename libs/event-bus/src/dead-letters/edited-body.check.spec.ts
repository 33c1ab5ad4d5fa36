import type { Message } from 'amqplib';
import { IsInt, IsString, Min } from 'class-validator';
import { editedBodyProblems } from './edited-body.check';

class Invoice {
  @IsString()
  customer!: string;

  @IsInt()
  @Min(1)
  amount!: number;
}

const cloudEvent = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    specversion: '1.0',
    id: 'evt-1',
    source: 'billing',
    type: 'INVOICE_ISSUED',
    data: { customer: 'acme', amount: 3 },
    ...overrides,
  });

function message(contentType: string, properties: Record<string, unknown> = {}): Message {
  return {
    content: Buffer.from('{}'),
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'billing.INVOICE_ISSUED.dlq' },
    properties: { contentType, headers: {}, ...properties },
  } as unknown as Message;
}

describe('editedBodyProblems', () => {
  const ce = message('application/cloudevents+json');

  it('accepts an edited CloudEvent whose data passes the DTO', async () => {
    expect(await editedBodyProblems(ce, cloudEvent(), 'INVOICE_ISSUED', Invoice)).toEqual([]);
  });

  it('names the JSON syntax error of a body that does not parse', async () => {
    const [problem] = await editedBodyProblems(ce, '{"data": ', 'INVOICE_ISSUED', Invoice);
    expect(problem).toMatch(/^body is not JSON: /);
  });

  it('refuses what the consumer could not decode', async () => {
    expect(await editedBodyProblems(ce, '[1, 2]', 'INVOICE_ISSUED')).toEqual([
      'body cannot be decoded as an event: content-type says CloudEvent but the body is not an object',
    ]);
    expect(await editedBodyProblems(ce, cloudEvent({ id: undefined }), 'INVOICE_ISSUED')).toEqual([
      'body cannot be decoded as an event: CloudEvent without id, type or source',
    ]);
  });

  it('refuses a change of event type', async () => {
    expect(await editedBodyProblems(ce, cloudEvent({ type: 'INVOICE_PAID' }), 'INVOICE_ISSUED')).toEqual([
      'body changes the event type from INVOICE_ISSUED to INVOICE_PAID; keep "type": "INVOICE_ISSUED"',
    ]);
  });

  it('lists every validation message of the DTO', async () => {
    const problems = await editedBodyProblems(ce, cloudEvent({ data: { customer: 7, amount: 0 } }), 'INVOICE_ISSUED', Invoice);
    expect(problems).toEqual(['data: customer must be a string', 'data: amount must not be less than 1']);
  });

  it('reads a plain JSON dead letter as its consumer does: the body is the data, the type from the AMQP properties', async () => {
    const plain = message('application/json', { type: 'INVOICE_ISSUED', messageId: 'm-1' });
    expect(await editedBodyProblems(plain, '{"customer":"acme","amount":5}', 'INVOICE_ISSUED', Invoice)).toEqual([]);
    expect(await editedBodyProblems(plain, '{"customer":"acme"}', 'INVOICE_ISSUED', Invoice)).toEqual([
      'data: amount must not be less than 1',
      'data: amount must be an integer number',
    ]);
  });

  it('checks only JSON and decoding when the type has no DTO', async () => {
    expect(await editedBodyProblems(ce, cloudEvent({ data: { anything: true } }), 'INVOICE_ISSUED')).toEqual([]);
  });
});
