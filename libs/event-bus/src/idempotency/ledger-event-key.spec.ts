import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { ledgerEventKey } from './ledger-event-key';

const envelope = (source: string, id: string) =>
  ({
    id,
    type: 'T',
    data: null,
    metadata: { source, correlationId: id, timestamp: '', version: '1', schemaVersion: '1' },
  }) as EventEnvelope;

describe('ledgerEventKey', () => {
  it('is the source and the id, so equal ids from two producers stay two events', () => {
    expect(ledgerEventKey(envelope('billing', '1'))).toBe('billing:1');
    expect(ledgerEventKey(envelope('shipping', '1'))).not.toBe(ledgerEventKey(envelope('billing', '1')));
  });

  it('encodes the source, so a colon in it cannot make two identities one', () => {
    expect(ledgerEventKey(envelope('urn:shop:billing', '7'))).toBe('urn%3Ashop%3Abilling:7');
    expect(ledgerEventKey(envelope('a:b', 'c'))).not.toBe(ledgerEventKey(envelope('a', 'b:c')));
  });
});
