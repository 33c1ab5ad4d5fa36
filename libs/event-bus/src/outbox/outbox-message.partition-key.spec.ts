import { PARTITION_KEY_HEADER } from '../event-bus.constants';
import { buildOutboxMessage, type OutboxMessageSettings } from './outbox-message.factory';

const settings = (messageProperties: 'mirrored' | 'minimal'): OutboxMessageSettings => ({
  serviceName: 'orders',
  exchange: 'events',
  schemas: {},
  maxMessageBytes: 1024 * 1024,
  messageProperties,
});

describe('outbox messages carry the partition key header as publish() does', () => {
  it.each(['mirrored', 'minimal'] as const)('stores x-partition-key with the properties of a keyed event (%s properties)', async (mode) => {
    const message = await buildOutboxMessage({ type: 'ORDER_UPDATED', key: 'o-1', data: {} }, settings(mode), true);
    expect(JSON.parse(message.propertiesJson).headers).toEqual({ [PARTITION_KEY_HEADER]: 'o-1' });
    expect(message.partitionKey).toBe('o-1');
  });

  it('stores no headers for an event without a key', async () => {
    const message = await buildOutboxMessage({ type: 'ORDER_UPDATED', data: {} }, settings('mirrored'), true);
    expect(JSON.parse(message.propertiesJson).headers).toBeUndefined();
  });
});
