import type { MessagePropertyHeaders } from 'amqplib';
import { decodeFail, decodeOk, message } from './decoder.spec-helper';

const PREFIXES = ['cloudEvents:', 'cloudEvents_', 'ce-', 'ce_'] as const;

/** Binary-mode headers with `prefix`: the required attributes plus `extra`. */
function ceHeaders(prefix: string, extra: Record<string, unknown> = {}): MessagePropertyHeaders {
  const attributes: Record<string, unknown> = { specversion: '1.0', id: 'evt-1', source: 'billing', type: 'INVOICE_PAID', ...extra };
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`${prefix}${name}`, value]));
}

describe('decodeEvent: binary content mode', () => {
  it.each(PREFIXES)('reads the attributes of headers prefixed %s and the body as data', (prefix) => {
    const m = message(
      JSON.stringify({ invoiceId: 'i-1', amount: 12.5 }),
      {
        contentType: 'application/json',
        headers: ceHeaders(prefix, {
          time: '2024-05-06T07:08:09.123Z',
          correlationid: 'tx-9',
          causationid: 'cmd-3',
          partitionkey: 'i-1',
          eventversion: '2.0.0',
          schemaversion: '3.1',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        }),
      },
      { routingKey: 'INVOICE_PAID' },
    );

    expect(decodeOk(m)).toEqual({
      id: 'evt-1',
      type: 'INVOICE_PAID',
      data: { invoiceId: 'i-1', amount: 12.5 },
      metadata: {
        correlationId: 'tx-9',
        causationId: 'cmd-3',
        source: 'billing',
        timestamp: '2024-05-06T07:08:09.123Z',
        version: '2.0.0',
        schemaVersion: '3.1',
        key: 'i-1',
        extensions: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
    });
  });

  it('defaults correlationId to the id, time to the time of receipt, versions to 1.0.0 / 1.0', () => {
    const before = Date.now();
    const decoded = decodeOk(message('{}', { contentType: 'application/json', headers: ceHeaders('ce-') }));

    expect(decoded.metadata).toMatchObject({ correlationId: 'evt-1', version: '1.0.0', schemaVersion: '1.0' });
    expect(decoded.metadata.causationId).toBeUndefined();
    expect(decoded.metadata.key).toBeUndefined();
    expect(Date.parse(decoded.metadata.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect('extensions' in decoded.metadata).toBe(false);
  });

  it('matches header names case-insensitively', () => {
    const headers = { 'CE-SpecVersion': '1.0', 'Ce-Id': 'evt-7', 'CE-SOURCE': 'kafka-bridge', 'ce-Type': 'T', 'CE-TraceParent': 'tp' };
    const decoded = decodeOk(message('1', { contentType: 'application/json', headers }));

    expect(decoded).toMatchObject({
      id: 'evt-7',
      type: 'T',
      data: 1,
      metadata: { source: 'kafka-bridge', extensions: { traceparent: 'tp' } },
    });
  });

  it('decodes header values that arrive as byte arrays (Buffer) as UTF-8 text', () => {
    const headers = {
      'cloudEvents:specversion': Buffer.from('1.0'),
      'cloudEvents:id': Buffer.from('évt-1'),
      'cloudEvents:source': Buffer.from('urn:billing'),
      'cloudEvents:type': Buffer.from('INVOICE_PAID'),
      'cloudEvents:correlationid': Buffer.from('tx-1'),
      'cloudEvents:tracestate': Buffer.from('rojo=00f067aa0ba902b7'),
    };
    const decoded = decodeOk(message('{}', { contentType: 'application/json', headers }));

    expect(decoded).toMatchObject({
      id: 'évt-1',
      type: 'INVOICE_PAID',
      metadata: { source: 'urn:billing', correlationId: 'tx-1', extensions: { tracestate: 'rojo=00f067aa0ba902b7' } },
    });
  });

  it('reads a time header sent as an AMQP timestamp (seconds)', () => {
    const headers = ceHeaders('cloudEvents:', { time: { '!': 'timestamp', value: 1700000000 } });
    expect(decodeOk(message('{}', { contentType: 'application/json', headers })).metadata.timestamp).toBe('2023-11-14T22:13:20.000Z');
  });

  it('takes the type from the header, not from the AMQP type or the routing key', () => {
    const m = message('{}', { contentType: 'application/json', type: 'OTHER', headers: ceHeaders('ce_') }, { routingKey: 'svc.OTHER' });
    expect(decodeOk(m).type).toBe('INVOICE_PAID');
  });

  describe('required attributes', () => {
    it.each(PREFIXES.flatMap((prefix) => ['id', 'source', 'type'].map((attribute) => [prefix, attribute])))(
      'refuses a %s message without %s, naming the header',
      (prefix, attribute) => {
        const headers = ceHeaders(prefix);
        delete headers[`${prefix}${attribute}`];

        expect(decodeFail(message('{}', { contentType: 'application/json', headers })).reason).toBe(
          `binary-mode CloudEvent without ${prefix}${attribute}`,
        );
      },
    );

    it('names the example failure of a message without ce-source', () => {
      const { 'ce-source': _omitted, ...headers } = ceHeaders('ce-');
      expect(decodeFail(message('{}', { headers })).reason).toBe('binary-mode CloudEvent without ce-source');
    });

    it.each([
      ['empty', ''],
      ['numeric', 42],
      ['boolean', true],
    ])('refuses an %s id', (_label, id) => {
      const failure = decodeFail(message('{}', { headers: ceHeaders('ce-', { id }) }));
      expect(failure.reason).toBe('binary-mode CloudEvent with an empty or non-text ce-id');
    });

    it.each([
      ['0.3', '"0.3"'],
      ['2.0', '"2.0"'],
      [Buffer.from('0.3'), '"0.3"'],
      [1, '1'],
    ])('refuses specversion %p, naming the header', (specversion, shown) => {
      const failure = decodeFail(message('{}', { headers: ceHeaders('cloudEvents_', { specversion }) }));
      expect(failure.reason).toBe(`binary-mode CloudEvent with unsupported cloudEvents_specversion ${shown}`);
    });

    it('refuses two headers of one attribute with different values', () => {
      const headers = { ...ceHeaders('ce-'), 'CE-ID': 'evt-2' };
      expect(decodeFail(message('{}', { headers })).reason).toBe('binary-mode CloudEvent with conflicting ce-id headers');
    });

    it('accepts two headers of one attribute with the same value', () => {
      const headers = { ...ceHeaders('ce-'), 'CE-ID': Buffer.from('evt-1') };
      expect(decodeOk(message('{}', { contentType: 'application/json', headers })).id).toBe('evt-1');
    });
  });

  describe('data by content type', () => {
    it.each(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.acme.invoice+json'])(
      'parses a %s body',
      (contentType) => {
        const decoded = decodeOk(message('{"n":[1,2]}', { contentType, headers: ceHeaders('ce-') }));
        expect(decoded.data).toEqual({ n: [1, 2] });
      },
    );

    it('parses any JSON value, not only objects', () => {
      expect(decodeOk(message('"text"', { contentType: 'application/json', headers: ceHeaders('ce-') })).data).toBe('text');
      expect(decodeOk(message('[1]', { contentType: 'application/json', headers: ceHeaders('ce-') })).data).toEqual([1]);
    });

    it.each(['text/plain', 'application/octet-stream', 'application/xml', 'image/png'])('gives a %s body as a Buffer', (contentType) => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      const decoded = decodeOk(message(bytes, { contentType, headers: ceHeaders('ce-') }));

      expect(Buffer.isBuffer(decoded.data)).toBe(true);
      expect((decoded.data as Buffer).equals(bytes)).toBe(true);
    });

    it('gives the body as a Buffer when there is no content type (the bytes are opaque)', () => {
      const decoded = decodeOk(message('{"looks":"like json"}', { headers: ceHeaders('ce-') }));
      expect(decoded.data).toEqual(Buffer.from('{"looks":"like json"}'));
    });

    it('reads a datacontenttype header when the content-type property is absent', () => {
      const decoded = decodeOk(message('{"a":1}', { headers: ceHeaders('ce-', { datacontenttype: 'application/json' }) }));

      expect(decoded.data).toEqual({ a: 1 });
      expect(decoded.metadata.extensions).toBeUndefined();
    });

    it('hands the handler a copy of the bytes, so the message body (kept for retries and dead letters) stays intact', () => {
      const m = message('abc', { contentType: 'text/plain', headers: ceHeaders('ce-') });
      (decodeOk(m).data as Buffer).fill(0);
      expect(m.content.toString()).toBe('abc');
    });

    it.each(['application/json', 'text/plain', undefined])('gives null for an empty body (content type %p)', (contentType) => {
      expect(decodeOk(message(Buffer.alloc(0), { contentType, headers: ceHeaders('ce-') })).data).toBeNull();
    });

    it('refuses a JSON content type whose body is not JSON', () => {
      const failure = decodeFail(message('not json', { contentType: 'application/json', headers: ceHeaders('ce-') }));
      expect(failure.reason).toBe('binary-mode CloudEvent body is not valid JSON (content-type application/json)');
    });

    it('refuses a JSON body with a prototype-polluting key', () => {
      const m = message('{"a":{"__proto__":{"admin":true}}}', { contentType: 'application/json', headers: ceHeaders('ce-') });
      expect(decodeFail(m).reason).toMatch(/^binary-mode CloudEvent body carries a __proto__ .*prototype pollution/);
    });
  });

  describe('extensions', () => {
    it('passes on every other attribute with its type, subject and dataschema included', () => {
      const headers = ceHeaders('ce-', {
        traceparent: '00-abc-def-01',
        tracestate: 'congo=t61rcWkgMzE',
        tenant: Buffer.from('acme'),
        priority: 5,
        ratio: 0.25,
        sampled: true,
        subject: 'invoices/i-1',
        dataschema: 'https://schemas.example.com/invoice-paid/2',
      });

      expect(decodeOk(message('{}', { contentType: 'application/json', headers })).metadata.extensions).toEqual({
        traceparent: '00-abc-def-01',
        tracestate: 'congo=t61rcWkgMzE',
        tenant: 'acme',
        priority: 5,
        ratio: 0.25,
        sampled: true,
        subject: 'invoices/i-1',
        dataschema: 'https://schemas.example.com/invoice-paid/2',
      });
    });

    it('leaves out values with no CloudEvents type and names outside its grammar', () => {
      const headers = {
        ...ceHeaders('ce-'),
        'ce-table': { nested: 'x' },
        'ce-list': ['a'],
        'ce-nothing': null,
        'ce-decimal': { '!': 'decimal', value: { places: 2, digits: 100 } },
        'ce-trace-parent': 'dash',
        'ce-__proto__': 'x',
        'ce-': 'no name',
        'ce-ok': 'kept',
      };

      expect(decodeOk(message('{}', { contentType: 'application/json', headers })).metadata.extensions).toEqual({ ok: 'kept' });
    });

    it('ignores headers without the prefix (failure headers, other prefixes, the publisher’s own)', () => {
      const headers = {
        ...ceHeaders('cloudEvents:'),
        'x-retry-count': 2,
        'x-original-routing-key': 'INVOICE_PAID',
        'ce-traceparent': 'other prefix',
        tenant: 'acme',
      };
      const decoded = decodeOk(message('{}', { contentType: 'application/json', headers }));

      expect(decoded.metadata.extensions).toBeUndefined();
      expect(decoded.id).toBe('evt-1');
    });

    it('uses the first prefix (cloudEvents:, cloudEvents_, ce-, ce_) when several carry a specversion', () => {
      const headers = { ...ceHeaders('ce_', { id: 'from-ce_' }), ...ceHeaders('cloudEvents_', { id: 'from-cloudEvents_' }) };
      expect(decodeOk(message('{}', { contentType: 'application/json', headers })).id).toBe('from-cloudEvents_');
    });
  });

  describe('mode detection', () => {
    it('reads a message with an application/cloudevents+json content type in structured mode, headers ignored', () => {
      const body = { specversion: '1.0', id: 'structured-1', source: 's', type: 'T', data: { a: 1 } };
      const decoded = decodeOk(message(JSON.stringify(body), { contentType: 'application/cloudevents+json', headers: ceHeaders('ce-') }));

      expect(decoded).toMatchObject({ id: 'structured-1', type: 'T', data: { a: 1 }, metadata: { source: 's' } });
    });

    it('keeps a plain JSON message with ce- headers but no specversion header as plain JSON', () => {
      const { 'ce-specversion': _omitted, ...headers } = ceHeaders('ce-');
      const decoded = decodeOk(message('{"a":1}', { messageId: 'm-1', type: 'LEGACY', headers }));

      expect(decoded).toMatchObject({ id: 'm-1', type: 'LEGACY', data: { a: 1 }, metadata: { source: 'unknown' } });
      expect('extensions' in decoded.metadata).toBe(false);
    });

    it('tolerates a message without any headers', () => {
      const m = message('{"a":1}', { messageId: 'm-1', type: 'T' });
      delete (m.properties as { headers?: unknown }).headers;
      expect(decodeOk(m).data).toEqual({ a: 1 });
    });
  });
});
