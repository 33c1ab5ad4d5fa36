import { parsePayloadPath, valueAtPath } from './payload-path';

describe('@EventPayload property paths', () => {
  it('splits on dots and refuses empty segments', () => {
    expect(parsePayloadPath('user.address.city')).toEqual(['user', 'address', 'city']);
    expect(parsePayloadPath('items.0.sku')).toEqual(['items', '0', 'sku']);
    for (const bad of ['', '.a', 'a.', 'a..b']) expect(() => parsePayloadPath(bad)).toThrow(/names separated by single dots/);
  });

  it('reads nested values and array items; a missing step, a primitive on the way or null give undefined', () => {
    const data = { user: { address: { city: 'Lyon' }, tags: ['a', 'b'], none: null } };
    expect(valueAtPath(data, ['user', 'address', 'city'])).toBe('Lyon');
    expect(valueAtPath(data, ['user', 'tags', '1'])).toBe('b');
    expect(valueAtPath(data, ['user', 'missing', 'deeper'])).toBeUndefined();
    expect(valueAtPath(data, ['user', 'address', 'city', 'length'])).toBeUndefined();
    expect(valueAtPath(data, ['user', 'none', 'x'])).toBeUndefined();
    expect(valueAtPath('text', ['length'])).toBeUndefined();
  });

  it('never reaches a prototype', () => {
    expect(valueAtPath({ a: {} }, ['a', 'constructor'])).toBeUndefined();
    expect(valueAtPath({ a: {} }, ['a', '__proto__'])).toBeUndefined();
    expect(valueAtPath([], ['length'])).toBe(0); // an own property of arrays
  });
});
