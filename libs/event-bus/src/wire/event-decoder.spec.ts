import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { encodeEvent } from './cloud-event.encoder';
import { decodeFail, decodeOk, message } from './decoder.spec-helper';

const CE = 'application/cloudevents+json';
const REQUIRED = { specversion: '1.0', id: 'evt-1', source: 'camera-svc', type: 'PHOTO_TAKEN' };

const structured = (body: Record<string, unknown>, contentType = CE) => message(JSON.stringify({ ...REQUIRED, ...body }), { contentType });

describe('decodeEvent: data_base64 in structured mode', () => {
  it('decodes data_base64 to a Buffer as data', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const decoded = decodeOk(structured({ datacontenttype: 'image/png', data_base64: bytes.toString('base64') }));

    expect(Buffer.isBuffer(decoded.data)).toBe(true);
    expect((decoded.data as Buffer).equals(bytes)).toBe(true);
    expect(decoded).toMatchObject({ id: 'evt-1', type: 'PHOTO_TAKEN', metadata: { source: 'camera-svc' } });
    expect(decoded.metadata.extensions).toBeUndefined();
  });

  it('accepts base64 without padding and an empty string (no bytes)', () => {
    expect(decodeOk(structured({ data_base64: 'aGk' })).data).toEqual(Buffer.from('hi'));
    expect(decodeOk(structured({ data_base64: '' })).data).toEqual(Buffer.alloc(0));
  });

  it('keeps the base64 bytes as bytes even when datacontenttype says JSON', () => {
    const decoded = decodeOk(structured({ datacontenttype: 'application/json', data_base64: Buffer.from('{"a":1}').toString('base64') }));
    expect(decoded.data).toEqual(Buffer.from('{"a":1}'));
  });

  it.each([
    ['an object', { a: 1 }],
    ['null', null],
    ['a string', 'text'],
  ])('refuses data (%s) together with data_base64', (_label, data) => {
    expect(decodeFail(structured({ data, data_base64: 'aGk=' })).reason).toBe('CloudEvent with both data and data_base64');
  });

  it.each([
    ['characters outside the alphabet', 'aGk*'],
    ['URL-safe alphabet', 'a-_b'],
    ['whitespace', 'aG k='],
    ['padding inside', 'aG=k'],
    ['an impossible length', 'aGkha'],
    ['a number', 42],
    ['an object', { bytes: 'aGk=' }],
  ])('refuses data_base64 with %s', (_label, data_base64) => {
    expect(decodeFail(structured({ data_base64 })).reason).toBe('CloudEvent data_base64 is not valid base64');
  });

  it('treats a null data_base64 as absent', () => {
    expect(decodeOk(structured({ data: { a: 1 }, data_base64: null })).data).toEqual({ a: 1 });
  });
});

describe('decodeEvent: extensions in structured mode', () => {
  it('passes on unknown attributes with their JSON types, subject and dataschema included', () => {
    const decoded = decodeOk(
      structured({
        data: {},
        correlationid: 'tx-1',
        partitionkey: 'k-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'congo=t61rcWkgMzE',
        tenant: 'acme',
        retries: 3,
        sampled: false,
        subject: 'photos/p-1',
        dataschema: 'https://schemas.example.com/photo-taken/1',
      }),
    );

    expect(decoded.metadata).toEqual({
      correlationId: 'tx-1',
      source: 'camera-svc',
      timestamp: expect.any(String),
      version: '1.0.0',
      schemaVersion: '1.0',
      key: 'k-1',
      extensions: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'congo=t61rcWkgMzE',
        tenant: 'acme',
        retries: 3,
        sampled: false,
        subject: 'photos/p-1',
        dataschema: 'https://schemas.example.com/photo-taken/1',
      },
    });
  });

  it('leaves out null, object and array values and names outside the CloudEvents grammar', () => {
    const decoded = decodeOk(
      structured({ data: 1, nothing: null, nested: { a: 1 }, list: [1], traceParent: 'camel', 'trace-id': 'dash', ok: 'kept' }),
    );
    expect(decoded.metadata.extensions).toEqual({ ok: 'kept' });
  });

  it('has no extensions field for an event of ours (all its attributes are mapped)', () => {
    const envelope: EventEnvelope = {
      id: 'evt-9',
      type: 'ORDER_CREATED',
      data: { orderId: 'o-1' },
      metadata: {
        correlationId: 'c',
        causationId: 'x',
        source: 'orders',
        timestamp: '2024-01-01T00:00:00.000Z',
        version: '1.0.0',
        schemaVersion: '1.0',
        key: 'o-1',
      },
    };
    const { body, properties } = encodeEvent(envelope, true);
    const decoded = decodeOk(message(body, { contentType: properties.contentType }));

    expect(decoded).toEqual(envelope);
    expect('extensions' in decoded.metadata).toBe(false);
  });
});

describe('decodeEvent: structured-mode content type', () => {
  it('counts application/cloudevents+json with parameters as declared (a non-object body is refused)', () => {
    const failure = decodeFail(message('[1]', { contentType: 'application/cloudevents+json; charset=utf-8', type: 'T', messageId: 'm' }));
    expect(failure.reason).toMatch(/not an object/);
  });
});

describe('decodeEvent: plain JSON from a foreign producer is unchanged', () => {
  it('reads the body as data and the AMQP properties as metadata, with no extensions', () => {
    const bytes = '{"orderId":7,"traceparent":"in the data, not an attribute"}';
    const m = message(bytes, {
      contentType: 'application/json',
      type: 'ORDER_SHIPPED',
      correlationId: 'legacy-corr',
      appId: 'legacy-app',
      timestamp: 1700000000,
      headers: { 'x-tenant': 'acme', traceparent: '00-abc-def-01' },
    });

    expect(decodeOk(m)).toStrictEqual({
      id: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      type: 'ORDER_SHIPPED',
      data: { orderId: 7, traceparent: 'in the data, not an attribute' },
      metadata: {
        correlationId: 'legacy-corr',
        source: 'legacy-app',
        timestamp: '2023-11-14T22:13:20.000Z',
        version: '1.0.0',
        schemaVersion: '1.0',
      },
    });
  });
});
