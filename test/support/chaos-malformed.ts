/** A body no consumer can turn into an event, and what its producer claims it is. */
export interface MalformedBody {
  label: string;
  contentType: string;
  body: Buffer;
}

const CLOUD_EVENT = 'application/cloudevents+json';

/**
 * Bodies a broken or hostile producer might send with plain amqplib. Each must be
 * dead-lettered at once (UndecodableMessageError), never handled, never retried. Valid JSON
 * without `specversion` is deliberately absent: the bus accepts it as a plain event from a
 * foreign producer (README, Wire format).
 * @param maxMessageBytes the consumer's limit; the oversize body exceeds it.
 */
export function malformedBodies(maxMessageBytes: number): MalformedBody[] {
  return [
    { label: 'plain text', contentType: 'text/plain', body: Buffer.from('this is not JSON at all') },
    {
      label: 'binary garbage',
      contentType: 'application/octet-stream',
      body: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x80, 0x22, 0xc3]),
    },
    { label: 'truncated JSON', contentType: CLOUD_EVENT, body: Buffer.from('{"specversion":"1.0","id":"x","type":') },
    { label: 'CloudEvent that is an array', contentType: CLOUD_EVENT, body: Buffer.from('[1,2,3]') },
    {
      label: 'CloudEvent without id',
      contentType: CLOUD_EVENT,
      body: Buffer.from('{"specversion":"1.0","type":"TASK","source":"broken"}'),
    },
    {
      label: 'unsupported specversion',
      contentType: CLOUD_EVENT,
      body: Buffer.from('{"specversion":"0.3","id":"x","type":"TASK","source":"broken"}'),
    },
    { label: '__proto__ key', contentType: 'application/json', body: Buffer.from('{"__proto__":{"polluted":"yes"}}') },
    {
      label: 'constructor.prototype keys',
      contentType: 'application/json',
      body: Buffer.from('{"a":{"constructor":{"prototype":{"polluted":"yes"}}}}'),
    },
    { label: 'escaped __proto__ key', contentType: 'application/json', body: Buffer.from('{"\\u005f\\u005fproto__":{"polluted":"yes"}}') },
    {
      label: 'oversize body',
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ pad: 'x'.repeat(maxMessageBytes + 1) })),
    },
  ];
}
