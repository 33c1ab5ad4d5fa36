import { decodeOutboxRow } from './outbox-row.decoder';

const good = {
  id: '7',
  event_id: 'e-1',
  exchange: 'events',
  routing_key: 'USER_CREATED',
  partition_key: 'u-1',
  body: Buffer.from('{"specversion":"1.0"}'),
  properties: {
    messageId: 'e-1',
    type: 'USER_CREATED',
    timestamp: 1700000000,
    persistent: true,
    contentType: 'application/cloudevents+json',
  },
  attempts: 2,
};

describe('decodeOutboxRow', () => {
  it('reads a row written by the outbox', () => {
    expect(decodeOutboxRow(good)).toEqual({
      id: '7',
      eventId: 'e-1',
      exchange: 'events',
      routingKey: 'USER_CREATED',
      partitionKey: 'u-1',
      body: good.body,
      properties: good.properties,
      attempts: 2,
    });
  });

  it.each([
    [{ body: Buffer.alloc(0) }, /body is empty/],
    [{ body: 'text' }, /body is empty/],
    [{ routing_key: '' }, /routing_key is empty/],
    [{ properties: [] }, /not a JSON object/],
    [{ properties: { persistent: 'yes' } }, /properties.persistent should be a boolean, not string/],
    [{ properties: { priority: 3 } }, /priority is not an AMQP property/],
    [{ partition_key: 5 }, /partition_key is not text/],
  ])('reports %p as undecodable', (change, reason) => {
    expect(decodeOutboxRow({ ...good, ...change })).toMatch(reason);
  });
});
