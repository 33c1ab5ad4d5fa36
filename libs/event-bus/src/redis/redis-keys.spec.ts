import { keySlot } from './key-slot';
import { RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  it('names keys as docs/semantics.md does for one server and Sentinel', () => {
    const keys = new RedisKeys('events:');
    expect(keys.processed('svc.ORDER', 'src:1')).toBe('events:processed:svc.ORDER:src:1');
    expect(keys.latest('ORDER')).toBe('events:latest:ORDER');
    expect(keys.latestForKey('ORDER', 'k1')).toBe('events:latest:ORDER:k1');
    expect(keys.latestIndex('ORDER')).toBe('events:latest-index:ORDER');
  });

  it('puts the type of the cache keys in a hash tag on a cluster, so they share a slot', () => {
    const keys = new RedisKeys('events:', true);
    expect(keys.processed('svc.ORDER', 'src:1')).toBe('events:processed:svc.ORDER:src:1');
    expect(keys.latest('ORDER')).toBe('events:latest:{ORDER}');
    expect(keys.latestForKey('ORDER', 'k1')).toBe('events:latest:{ORDER}:k1');
    expect(keys.latestIndex('ORDER')).toBe('events:latest-index:{ORDER}');
    for (const type of ['ORDER', 'a}b', 'a{b', 'user.created:v2']) {
      const slots = new Set([keys.latest(type), keys.latestForKey(type, 'x{y}'), keys.latestIndex(type)].map(keySlot));
      expect(slots.size).toBe(1);
    }
  });
});
