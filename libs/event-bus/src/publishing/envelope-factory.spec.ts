import { runWithCorrelation } from '../correlation/correlation-context';
import { createEnvelope } from './envelope-factory';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEnvelope', () => {
  it('fills in id, timestamp, source, versions and a correlation id', () => {
    const now = new Date('2024-05-06T07:08:09.123Z');
    const envelope = createEnvelope({ type: 'USER_CREATED', data: { userId: 'u-1' } }, 'users-service', now);

    expect(envelope.id).toMatch(UUID);
    expect(envelope.type).toBe('USER_CREATED');
    expect(envelope.data).toEqual({ userId: 'u-1' });
    expect(envelope.metadata.source).toBe('users-service');
    expect(envelope.metadata.timestamp).toBe('2024-05-06T07:08:09.123Z');
    expect(envelope.metadata.version).toBe('1.0.0');
    expect(envelope.metadata.schemaVersion).toBe('1.0');
    expect(envelope.metadata.correlationId).toMatch(UUID);
  });

  it('stamps the current time as ISO-8601 by default', () => {
    const before = Date.now();
    const envelope = createEnvelope({ type: 'T', data: null }, 'svc');
    const at = Date.parse(envelope.metadata.timestamp);

    expect(envelope.metadata.timestamp).toBe(new Date(at).toISOString());
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('generates a fresh id and correlation id for every event', () => {
    const a = createEnvelope({ type: 'T', data: 1 }, 'svc');
    const b = createEnvelope({ type: 'T', data: 1 }, 'svc');

    expect(a.id).not.toBe(b.id);
    expect(a.metadata.correlationId).not.toBe(b.metadata.correlationId);
    expect(a.metadata.correlationId).not.toBe(a.id);
  });

  it('keeps the data as given (same reference, falsy values included)', () => {
    const data = { nested: [1, 2] };
    expect(createEnvelope({ type: 'T', data }, 'svc').data).toBe(data);
    expect(createEnvelope({ type: 'T', data: 0 }, 'svc').data).toBe(0);
    expect(createEnvelope({ type: 'T', data: null }, 'svc').data).toBeNull();
  });

  it('omits causationId and key outside any scope when not given', () => {
    const envelope = createEnvelope({ type: 'T', data: {} }, 'svc');

    expect('causationId' in envelope.metadata).toBe(false);
    expect('key' in envelope.metadata).toBe(false);
  });

  it('lets explicit id, key and metadata win', () => {
    const envelope = createEnvelope(
      {
        type: 'ORDER_CREATED',
        data: {},
        id: 'my-id',
        key: 'order-42',
        metadata: { correlationId: 'my-corr', causationId: 'my-cause', version: '2.0.0', schemaVersion: '3.1' },
      },
      'orders',
    );

    expect(envelope.id).toBe('my-id');
    expect(envelope.metadata).toEqual({
      correlationId: 'my-corr',
      causationId: 'my-cause',
      source: 'orders',
      timestamp: envelope.metadata.timestamp,
      version: '2.0.0',
      schemaVersion: '3.1',
      key: 'order-42',
    });
  });

  describe('inside a correlation scope', () => {
    it('inherits the correlation id and makes the handled event the cause', () => {
      const envelope = runWithCorrelation({ correlationId: 'tx-1', eventId: 'e-1' }, () => createEnvelope({ type: 'T', data: {} }, 'svc'));

      expect(envelope.metadata.correlationId).toBe('tx-1');
      expect(envelope.metadata.causationId).toBe('e-1');
      expect(envelope.id).not.toBe('e-1');
    });

    it('keeps the scope across awaits', async () => {
      const envelope = await runWithCorrelation({ correlationId: 'tx-1', eventId: 'e-1' }, async () => {
        await Promise.resolve();
        await new Promise<void>((resolve) => setImmediate(resolve));
        return createEnvelope({ type: 'T', data: {} }, 'svc');
      });

      expect(envelope.metadata.correlationId).toBe('tx-1');
      expect(envelope.metadata.causationId).toBe('e-1');
    });

    it('has no causationId inside an HTTP request scope (no event being handled)', () => {
      const envelope = runWithCorrelation({ correlationId: 'req-7' }, () => createEnvelope({ type: 'T', data: {} }, 'svc'));

      expect(envelope.metadata.correlationId).toBe('req-7');
      expect('causationId' in envelope.metadata).toBe(false);
    });

    it('still lets explicit metadata win over the scope', () => {
      const envelope = runWithCorrelation({ correlationId: 'tx-1', eventId: 'e-1' }, () =>
        createEnvelope({ type: 'T', data: {}, metadata: { correlationId: 'explicit', causationId: 'cause' } }, 'svc'),
      );

      expect(envelope.metadata.correlationId).toBe('explicit');
      expect(envelope.metadata.causationId).toBe('cause');
    });

    it('does not leak the scope outside runWithCorrelation', () => {
      runWithCorrelation({ correlationId: 'tx-1', eventId: 'e-1' }, () => undefined);
      const envelope = createEnvelope({ type: 'T', data: {} }, 'svc');

      expect(envelope.metadata.correlationId).not.toBe('tx-1');
      expect(envelope.metadata.correlationId).toMatch(UUID);
      expect('causationId' in envelope.metadata).toBe(false);
    });
  });
});
