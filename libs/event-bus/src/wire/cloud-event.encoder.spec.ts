import type { Message, MessageProperties } from 'amqplib';
import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { encodeEvent, toCloudEvent } from './cloud-event.encoder';
import { DecodeFailure, decodeEvent } from './event-decoder';
import { decodeFail, decodeOk, message } from './decoder.spec-helper';

const CE = 'application/cloudevents+json';

/** What the broker hands a consumer for an encoded envelope. */
function delivered(envelope: EventEnvelope, persistent = true): Message {
  const { body, properties } = encodeEvent(envelope, persistent);
  return message(body, properties as unknown as Partial<MessageProperties>, { routingKey: envelope.type });
}

const fullEnvelope: EventEnvelope<{ orderId: string; items: Array<{ sku: string; qty: number }>; note: null }> = {
  id: '6f1c6f2e-1b0a-4c47-9d7e-0d1f6d2c9a11',
  type: 'ORDER_CREATED',
  data: { orderId: 'o-42', items: [{ sku: 'A-1', qty: 2 }], note: null },
  metadata: {
    correlationId: 'corr-1',
    causationId: 'cause-1',
    source: 'orders-service',
    timestamp: '2024-05-06T07:08:09.123Z',
    version: '2.1.0',
    schemaVersion: '3.4',
    key: 'o-42',
  },
};

const minimalEnvelope: EventEnvelope<string> = {
  id: 'evt-2',
  type: 'USER_CREATED',
  data: 'hello',
  metadata: {
    correlationId: 'corr-2',
    source: 'users-service',
    timestamp: '2024-01-01T00:00:00.000Z',
    version: '1.0.0',
    schemaVersion: '1.0',
  },
};

describe('encodeEvent / toCloudEvent', () => {
  it('writes a CloudEvents 1.0 structured-mode body with every attribute', () => {
    const { body } = encodeEvent(fullEnvelope, true);

    expect(JSON.parse(body.toString('utf8'))).toEqual({
      specversion: '1.0',
      id: fullEnvelope.id,
      source: 'orders-service',
      type: 'ORDER_CREATED',
      time: '2024-05-06T07:08:09.123Z',
      datacontenttype: 'application/json',
      data: fullEnvelope.data,
      correlationid: 'corr-1',
      causationid: 'cause-1',
      partitionkey: 'o-42',
      eventversion: '2.1.0',
      schemaversion: '3.4',
    });
  });

  it('omits causationid and partitionkey when absent', () => {
    const ce = toCloudEvent(minimalEnvelope);
    const body = JSON.parse(encodeEvent(minimalEnvelope, true).body.toString('utf8'));

    expect('causationid' in ce).toBe(false);
    expect('partitionkey' in ce).toBe(false);
    expect(Object.keys(body).sort()).toEqual(
      ['correlationid', 'data', 'datacontenttype', 'eventversion', 'id', 'schemaversion', 'source', 'specversion', 'time', 'type'].sort(),
    );
  });

  it('mirrors the envelope in the AMQP properties', () => {
    const { properties } = encodeEvent(fullEnvelope, true);

    expect(properties).toEqual({
      messageId: fullEnvelope.id,
      correlationId: 'corr-1',
      type: 'ORDER_CREATED',
      appId: 'orders-service',
      timestamp: Math.floor(Date.UTC(2024, 4, 6, 7, 8, 9) / 1000),
      contentType: CE,
      persistent: true,
      headers: { 'x-partition-key': 'o-42' },
    });
  });

  it('carries the key in the x-partition-key header only when there is one', () => {
    expect(encodeEvent(minimalEnvelope, true).properties.headers).toBeUndefined();
    const traced = encodeEvent(fullEnvelope, true, { headers: { traceparent: '00-abc-def-01' } });
    expect(traced.properties.headers).toEqual({ traceparent: '00-abc-def-01', 'x-partition-key': 'o-42' });
  });

  it('gives the timestamp in whole seconds', () => {
    const { properties } = encodeEvent(fullEnvelope, true);
    expect(properties.timestamp).toBe(1714979289);
  });

  it('passes the persistent flag through', () => {
    expect(encodeEvent(minimalEnvelope, false).properties.persistent).toBe(false);
    expect(encodeEvent(minimalEnvelope, true).properties.persistent).toBe(true);
  });
});

describe('encode -> decode round trip', () => {
  it('keeps id, type, data and all metadata', () => {
    const decoded = decodeOk(delivered(fullEnvelope));

    expect(decoded).toEqual(fullEnvelope);
    expect(decoded.metadata.causationId).toBe('cause-1');
    expect(decoded.metadata.key).toBe('o-42');
  });

  it('keeps a minimal envelope and does not invent causation or key', () => {
    const decoded = decodeOk(delivered(minimalEnvelope, false));

    expect(decoded).toEqual(minimalEnvelope);
    expect(decoded.metadata.causationId).toBeUndefined();
    expect(decoded.metadata.key).toBeUndefined();
  });

  it.each([null, 0, false, '', [1, 'two'], { nested: { deep: [true] } }])('keeps data %j', (data) => {
    const decoded = decodeOk(delivered({ ...minimalEnvelope, data }));
    expect(decoded.data).toEqual(data);
  });

  it('ignores the AMQP type and routing key of a CloudEvent (the body wins)', () => {
    const { body, properties } = encodeEvent(minimalEnvelope, true);
    const m = message(body, { ...(properties as Partial<MessageProperties>), type: 'OTHER' }, { routingKey: 'OTHER' });

    expect(decodeOk(m).type).toBe('USER_CREATED');
  });

  it('reads a CloudEvent recognised by specversion alone (no content type)', () => {
    const { body } = encodeEvent(fullEnvelope, true);
    expect(decodeOk(message(body, { contentType: 'application/json' }))).toEqual(fullEnvelope);
  });
});

describe('decodeEvent: CloudEvents from other producers', () => {
  it('defaults version, schemaVersion and correlationId (to the id) when absent', () => {
    const body = { specversion: '1.0', id: 'x-1', source: 'python-svc', type: 'PING', time: '2024-02-03T04:05:06.000Z', data: 1 };
    const decoded = decodeOk(message(JSON.stringify(body), { contentType: CE }));

    expect(decoded).toEqual({
      id: 'x-1',
      type: 'PING',
      data: 1,
      metadata: {
        correlationId: 'x-1',
        source: 'python-svc',
        timestamp: '2024-02-03T04:05:06.000Z',
        version: '1.0.0',
        schemaVersion: '1.0',
      },
    });
  });

  it.each(['id', 'type', 'source'])('fails for a CloudEvent without %s', (attr) => {
    const body: Record<string, unknown> = { specversion: '1.0', id: 'x', source: 's', type: 't', data: {} };
    delete body[attr];

    const failure = decodeFail(message(JSON.stringify(body), { contentType: CE }));
    expect(failure.reason).toMatch(/id, type or source/);
  });

  it('fails for a CloudEvent whose id is empty', () => {
    const body = { specversion: '1.0', id: '', source: 's', type: 't', data: {} };
    expect(decodeFail(message(JSON.stringify(body), { contentType: CE })).reason).toMatch(/id, type or source/);
  });

  it.each(['0.3', '2.0', 1, undefined])('fails for specversion %p', (specversion) => {
    const body = { specversion, id: 'x', source: 's', type: 't', data: {} };
    const failure = decodeFail(message(JSON.stringify(body), { contentType: CE }));

    expect(failure.reason).toMatch(/specversion/);
  });

  it.each(['[1,2]', '"text"', '42', 'null'])('fails for content-type cloudevents with non-object body %s', (json) => {
    const failure = decodeFail(message(json, { contentType: CE, messageId: 'm-1', type: 'T' }));
    expect(failure.reason).toMatch(/not an object/);
  });
});

describe('decodeEvent: plain JSON from a foreign producer', () => {
  it('uses the AMQP type, messageId, correlationId, appId and timestamp properties', () => {
    const m = message(
      JSON.stringify({ orderId: 7 }),
      {
        contentType: 'application/json',
        type: 'ORDER_SHIPPED',
        messageId: 'legacy-17',
        correlationId: 'legacy-corr',
        appId: 'legacy-app',
        timestamp: 1700000000,
      },
      { routingKey: 'something.else' },
    );

    expect(decodeOk(m)).toEqual({
      id: 'legacy-17',
      type: 'ORDER_SHIPPED',
      data: { orderId: 7 },
      metadata: {
        correlationId: 'legacy-corr',
        source: 'legacy-app',
        timestamp: new Date(1700000000 * 1000).toISOString(),
        version: '1.0.0',
        schemaVersion: '1.0',
      },
    });
  });

  it('falls back to the routing key as type when there is no AMQP type', () => {
    const m = message(JSON.stringify({ a: 1 }), { messageId: 'm-1' }, { routingKey: 'INVOICE_PAID' });
    expect(decodeOk(m).type).toBe('INVOICE_PAID');
  });

  it('fails without AMQP type and routing key', () => {
    const m = message(JSON.stringify({ a: 1 }), { messageId: 'm-1' }, { routingKey: '' });
    expect(decodeFail(m).reason).toMatch(/type or routing key/);
  });

  it('defaults correlationId to the id and source to unknown', () => {
    const decoded = decodeOk(message('{"a":1}', { messageId: 'm-9', type: 'T' }));

    expect(decoded.metadata.correlationId).toBe('m-9');
    expect(decoded.metadata.source).toBe('unknown');
    expect(decoded.metadata.causationId).toBeUndefined();
    expect(decoded.metadata.key).toBeUndefined();
  });

  it('without messageId, derives a sha256 id of the body: same bytes, same id', () => {
    const bytes = '{"orderId":7,"total":12.5}';
    const first = decodeOk(message(bytes, { type: 'T' }));
    const again = decodeOk(message(Buffer.from(bytes), { type: 'T' }, { deliveryTag: 2, redelivered: true }));
    const other = decodeOk(message('{"orderId":8,"total":12.5}', { type: 'T' }));

    expect(first.id).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(other.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('accepts a non-object JSON body as data', () => {
    expect(decodeOk(message('[1,2,3]', { type: 'T', messageId: 'm' })).data).toEqual([1, 2, 3]);
    expect(decodeOk(message('"hi"', { type: 'T', messageId: 'm' })).data).toBe('hi');
    expect(decodeOk(message('null', { type: 'T', messageId: 'm' })).data).toBeNull();
  });

  it('stamps the current time when there is no timestamp property', () => {
    const before = Date.now();
    const decoded = decodeOk(message('{}', { type: 'T', messageId: 'm' }));
    const at = Date.parse(decoded.metadata.timestamp);

    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
  });
});

describe('decodeEvent: never throws', () => {
  it('for a foreign message whose AMQP timestamp is out of the Date range (e.g. nanoseconds)', () => {
    const m = message('{"a":1}', { type: 'T', messageId: 'm', timestamp: 1.7e18 });

    let out: EventEnvelope | DecodeFailure | undefined;
    expect(() => (out = decodeEvent(m))).not.toThrow();
    // Either refused as undecodable, or accepted with a valid ISO time.
    if (out && !(out instanceof DecodeFailure)) expect(Number.isNaN(Date.parse(out.metadata.timestamp))).toBe(false);
  });
});

describe('decodeEvent: not JSON', () => {
  it.each([
    ['garbage text', Buffer.from('not json at all')],
    ['empty body', Buffer.alloc(0)],
    ['binary bytes', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
    ['truncated JSON', Buffer.from('{"specversion":"1.0",')],
  ])('returns a DecodeFailure for %s (never throws)', (_label, content) => {
    const failure = decodeFail(message(content, { type: 'T', messageId: 'm', contentType: CE }));
    expect(failure.reason).toMatch(/not valid JSON/);
  });
});

describe("encodeEvent with messageProperties: 'minimal'", () => {
  it('sets only the content type and delivery mode; the body is byte for byte the mirrored one', () => {
    const minimal = encodeEvent(fullEnvelope, true, undefined, 'minimal');
    const mirrored = encodeEvent(fullEnvelope, true);

    expect(minimal.body.equals(mirrored.body)).toBe(true);
    const { headers, ...properties } = minimal.properties;
    expect(properties).toEqual({ contentType: CE, persistent: true });
    // The key still travels as its routing header; nothing else rides in headers.
    expect(Object.keys(headers ?? {})).toEqual(Object.keys(mirrored.properties.headers ?? {}));
  });

  it('decodes to the same envelope as the mirrored form, even without a content type', () => {
    const { body } = encodeEvent(fullEnvelope, true, undefined, 'minimal');

    expect(decodeOk(message(body, { contentType: CE }, { routingKey: 'ORDER_CREATED' }))).toEqual(decodeOk(delivered(fullEnvelope)));
    expect(decodeOk(message(body, {}, { routingKey: 'ORDER_CREATED' }))).toEqual(decodeOk(delivered(fullEnvelope)));
  });

  it('keeps the delivery mode the caller asked for', () => {
    expect(encodeEvent(minimalEnvelope, false, undefined, 'minimal').properties.persistent).toBe(false);
  });
});
