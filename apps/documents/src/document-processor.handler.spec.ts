import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { EventBus } from 'nestjs-event-bus';
import { EventBusTestHarness, EventBusTestingModule } from 'nestjs-event-bus/testing';
import { DocumentProcessor } from './document-processor.handler';
import { DocumentStore } from './document-store.service';

/** The processor's store, in memory: this test is about the handler, not Redis. */
class MemoryDocumentStore {
  readonly processedDocs = new Map<string, { name: string; attempt: number }>();
  fixed = false;
  async markProcessed(documentId: string, name: string, attempt: number) {
    this.processedDocs.set(documentId, { name, attempt });
  }
  async parserFixed() {
    return this.fixed;
  }
}

describe('DocumentProcessor with EventBusTestingModule (no broker, no Redis)', () => {
  let app: INestApplication;
  let bus: EventBus;
  let harness: EventBusTestHarness;
  let store: MemoryDocumentStore;

  beforeEach(async () => {
    store = new MemoryDocumentStore();
    const moduleRef = await Test.createTestingModule({
      // Unreachable URLs on purpose: nothing here may touch a network.
      imports: [
        EventBusTestingModule.forRoot({
          serviceName: 'documents',
          rabbitmq: { url: 'amqp://guest:guest@nowhere.invalid:1' },
          redis: { url: 'redis://nowhere.invalid:1' },
        }),
      ],
      providers: [DocumentProcessor, { provide: DocumentStore, useValue: store }],
    }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    bus = app.get(EventBus);
    harness = app.get(EventBusTestHarness);
  });

  afterEach(() => app.close());

  it('processes an upload on the first attempt', async () => {
    const event = await bus.publish({ type: 'DOCUMENT_UPLOADED', data: { documentId: 'd1', name: 'report.pdf' } });
    const [handled] = await harness.waitFor('DOCUMENT_UPLOADED');
    expect(handled).toMatchObject({ event: { id: event.id }, queue: 'documents.DOCUMENT_UPLOADED', attempt: 1 });
    expect(store.processedDocs.get('d1')).toEqual({ name: 'report.pdf', attempt: 1 });
    expect(harness.published.map((e) => e.type)).toEqual(['DOCUMENT_UPLOADED']);
  });

  it('retries a transient failure and succeeds on attempt 3, without waiting for the real delays', async () => {
    // With timers frozen, a retry that waited on a timer would never come back.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      await bus.publish({ type: 'DOCUMENT_UPLOADED', data: { documentId: 'd2', name: 'flaky-scan.pdf' } });
      const [handled] = await harness.waitFor('DOCUMENT_UPLOADED');
      expect(handled.attempt).toBe(3);
      expect(store.processedDocs.get('d2')?.attempt).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('dead-letters a corrupt document after retryCount + 1 attempts, with its history', async () => {
    await bus.publish({ type: 'DOCUMENT_UPLOADED', data: { documentId: 'd3', name: 'corrupt.pdf' } });
    const [dead] = await harness.waitFor('DOCUMENT_UPLOADED', { kind: 'dead-lettered' });
    expect(dead).toMatchObject({
      deadLetterQueue: 'documents.DOCUMENT_UPLOADED.dlq',
      originalQueue: 'documents.DOCUMENT_UPLOADED',
      attempts: 4,
      error: 'cannot parse corrupt.pdf: unexpected end of stream',
    });
    expect(dead.history.map((h) => h.attempt)).toEqual([1, 2, 3, 4]);
    expect(harness.handled).toEqual([]);
    expect(store.processedDocs.has('d3')).toBe(false);
  });

  it('runs the handler once for a duplicate delivery', async () => {
    await bus.publish({ type: 'DOCUMENT_UPLOADED', id: 'same-id', data: { documentId: 'd4', name: 'a.pdf' } });
    await bus.publish({ type: 'DOCUMENT_UPLOADED', id: 'same-id', data: { documentId: 'd4', name: 'a.pdf' } });
    await harness.idle();
    expect(harness.handled).toHaveLength(1);
    expect(harness.duplicates).toHaveLength(1);
  });
});
