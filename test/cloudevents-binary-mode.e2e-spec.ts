import { Injectable } from '@nestjs/common';
import { DeadLetterService, OnEvent, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const received = new Map<string, EventEnvelope[]>();
const record = (event: EventEnvelope): void => void received.set(event.type, [...(received.get(event.type) ?? []), event]);
let failNextInvoice = true;

@Injectable()
class Handlers {
  @OnEvent('INVOICE_PAID')
  onInvoice(event: EventEnvelope): void {
    record(event);
    if (failNextInvoice) {
      failNextInvoice = false;
      throw new Error('ledger busy'); // retried through the wait queue: the headers must survive the hop
    }
  }

  @OnEvent('PHOTO_TAKEN')
  onPhoto(event: EventEnvelope): void {
    record(event);
  }

  @OnEvent('RECEIPT_PRINTED')
  onReceipt(event: EventEnvelope): void {
    record(event);
  }
}

describe('CloudEvents in binary content mode and data_base64, over RabbitMQ', () => {
  const topology = uniqueTopology('cebin');
  const serviceName = uniqueName('cebin-svc');
  const queue = (type: string) => `${serviceName}.${type}`;
  const types = ['INVOICE_PAID', 'PHOTO_TAKEN', 'RECEIPT_PRINTED'];
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(testOptions(serviceName, topology), { providers: [Handlers] });
  });

  afterAll(async () => {
    await service?.close();
    await raw.cleanupTopology(topology, types.map(queue));
    await raw.close();
  });

  it('hands the handler a binary-mode event: id, source, type, time, metadata and extensions from the headers', async () => {
    await raw.publish(topology.exchange, 'INVOICE_PAID', JSON.stringify({ invoiceId: 'i-1', amount: 12.5 }), {
      contentType: 'application/json',
      headers: {
        'cloudEvents:specversion': '1.0',
        'cloudEvents:id': 'inv-evt-1',
        'cloudEvents:source': Buffer.from('urn:acme:billing'), // sent as a byte array
        'cloudEvents:type': 'INVOICE_PAID',
        'cloudEvents:time': '2024-05-06T07:08:09.123Z',
        'cloudEvents:correlationid': 'tx-42',
        'cloudEvents:partitionkey': 'i-1',
        'cloudEvents:traceparent': '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'cloudEvents:tenant': 'acme',
        'cloudEvents:priority': 5,
      },
    });

    // First attempt fails, the retry comes back from the wait queue with the queue name as routing key.
    await waitFor(() => (received.get('INVOICE_PAID') ?? []).length === 2, { message: 'the attempt and its retry' });
    const [first, retried] = received.get('INVOICE_PAID')!;
    expect(retried).toEqual(first);
    expect(first).toEqual({
      id: 'inv-evt-1',
      type: 'INVOICE_PAID',
      data: { invoiceId: 'i-1', amount: 12.5 },
      metadata: {
        correlationId: 'tx-42',
        source: 'urn:acme:billing',
        timestamp: '2024-05-06T07:08:09.123Z',
        version: '1.0.0',
        schemaVersion: '1.0',
        key: 'i-1',
        extensions: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tenant: 'acme', priority: 5 },
      },
    });
  });

  it('gives a structured-mode data_base64 event its bytes as a Buffer', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const event = {
      specversion: '1.0',
      id: 'photo-1',
      source: 'camera',
      type: 'PHOTO_TAKEN',
      datacontenttype: 'image/png',
      data_base64: bytes.toString('base64'),
      tracestate: 'congo=t61rcWkgMzE',
    };
    await raw.publish(topology.exchange, 'PHOTO_TAKEN', JSON.stringify(event), { contentType: 'application/cloudevents+json' });

    await waitFor(() => received.has('PHOTO_TAKEN'), { message: 'the photo event' });
    const [photo] = received.get('PHOTO_TAKEN')!;
    expect(Buffer.isBuffer(photo.data)).toBe(true);
    expect((photo.data as Buffer).equals(bytes)).toBe(true);
    expect(photo).toMatchObject({ id: 'photo-1', metadata: { source: 'camera', extensions: { tracestate: 'congo=t61rcWkgMzE' } } });
  });

  it('gives a binary-mode event with a non-JSON content type its body as a Buffer (ce_ prefix)', async () => {
    await raw.publish(topology.exchange, 'RECEIPT_PRINTED', 'Total: 12.50 EUR', {
      contentType: 'text/plain; charset=utf-8',
      headers: { ce_specversion: '1.0', ce_id: 'receipt-1', ce_source: 'pos-7', ce_type: 'RECEIPT_PRINTED', ce_subject: 'till/3' },
    });

    await waitFor(() => received.has('RECEIPT_PRINTED'), { message: 'the receipt event' });
    const [receipt] = received.get('RECEIPT_PRINTED')!;
    expect(receipt.data).toEqual(Buffer.from('Total: 12.50 EUR'));
    expect(receipt).toMatchObject({ id: 'receipt-1', metadata: { source: 'pos-7', extensions: { subject: 'till/3' } } });
  });

  it('dead-letters a binary-mode message without ce-source, the reason in x-error', async () => {
    const dlq = service.app.get(DeadLetterService);
    await raw.publish(topology.exchange, 'RECEIPT_PRINTED', '{}', {
      messageId: 'receipt-bad',
      contentType: 'application/json',
      headers: { 'ce-specversion': '1.0', 'ce-id': 'receipt-bad', 'ce-type': 'RECEIPT_PRINTED' },
    });

    await waitFor(async () => (await dlq.count(queue('RECEIPT_PRINTED'))) === 1, { message: 'the dead letter' });
    const [letter] = await dlq.list(queue('RECEIPT_PRINTED'));
    expect(letter).toMatchObject({
      eventId: 'receipt-bad',
      errorName: 'UndecodableMessageError',
      error: `Undecodable message on ${queue('RECEIPT_PRINTED')}: binary-mode CloudEvent without ce-source`,
      attempts: 1,
      body: '{}',
    });
    expect(letter.headers).toMatchObject({ 'ce-id': 'receipt-bad', 'x-error': letter.error });
    expect(received.get('RECEIPT_PRINTED')!.map((e) => e.id)).toEqual(['receipt-1']);
  });
});
