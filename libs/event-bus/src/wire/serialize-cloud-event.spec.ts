import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { serializeCloudEvent, toCloudEvent } from './cloud-event.encoder';

const base: EventEnvelope = {
  id: 'id-"quoted"\\n',
  type: 'USER_CREATED',
  data: { name: 'Zoë "Z"', nested: { list: [1, 2, { deep: null }] }, when: new Date('2026-01-01T00:00:00Z') },
  metadata: { correlationId: 'tx\u2028-1', source: 'auth', timestamp: '2026-11-27T10:00:00.000Z', version: '1.0.0', schemaVersion: '1.0' },
};

describe('serializeCloudEvent', () => {
  it.each([
    ['without optional attributes', base],
    ['with causation id and key', { ...base, metadata: { ...base.metadata, causationId: 'cause-1', key: 'k/1' } }],
    ['with null data', { ...base, data: null }],
    ['with a string payload', { ...base, data: 'plain "text"' }],
  ])('writes the same JSON as JSON.stringify(toCloudEvent()) %s', (_label, envelope) => {
    const text = serializeCloudEvent(envelope);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toCloudEvent(envelope))));
  });

  it('throws on data that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializeCloudEvent({ ...base, data: cyclic })).toThrow(TypeError);
    expect(() => serializeCloudEvent({ ...base, data: { n: BigInt(1) } })).toThrow(TypeError);
  });
});
