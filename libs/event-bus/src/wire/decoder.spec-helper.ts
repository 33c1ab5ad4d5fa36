import type { Message, MessageFields, MessageProperties } from 'amqplib';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { DecodeFailure, decodeEvent } from './event-decoder';

/** A delivered amqplib message built by hand. */
export function message(
  content: Buffer | string,
  properties: Partial<MessageProperties> = {},
  fields: Partial<MessageFields> = {},
): Message {
  return {
    content: typeof content === 'string' ? Buffer.from(content) : content,
    fields: {
      deliveryTag: 1,
      redelivered: false,
      exchange: 'main-exchange',
      routingKey: 'ROUTED_TYPE',
      ...fields,
    } as MessageFields,
    properties: { headers: {}, ...properties } as MessageProperties,
  };
}

/** Decodes and fails the test on a DecodeFailure. */
export function decodeOk(m: Message): EventEnvelope {
  const out = decodeEvent(m);
  if (out instanceof DecodeFailure) throw new Error(`unexpected DecodeFailure: ${out.reason}`);
  return out;
}

/** Decodes and expects a DecodeFailure. */
export function decodeFail(m: Message): DecodeFailure {
  const out = decodeEvent(m);
  expect(out).toBeInstanceOf(DecodeFailure);
  return out as DecodeFailure;
}
