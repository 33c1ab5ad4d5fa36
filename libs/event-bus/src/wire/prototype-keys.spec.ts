import { hasPrototypeKeys } from './prototype-keys';

const check = (value: unknown) => hasPrototypeKeys(value, Buffer.from(JSON.stringify(value)));

describe('hasPrototypeKeys', () => {
  it('passes plain data, including the words as values or harmless keys', () => {
    expect(check({ a: 1, list: [{ b: 'x' }] })).toBe(false);
    expect(check({ note: '__proto__ and constructor are just words here' })).toBe(false);
    expect(check({ constructor: 'a string is harmless' })).toBe(false);
    expect(check({ constructor: { name: 'no prototype key' } })).toBe(false);
    expect(check(null)).toBe(false);
  });

  it('finds an own __proto__ key at any depth', () => {
    expect(check(JSON.parse('{"__proto__":{"admin":true}}'))).toBe(true);
    expect(check({ outer: [1, JSON.parse('{"inner":{"__proto__":{}}}')] })).toBe(true);
  });

  it('finds constructor.prototype', () => {
    expect(check({ constructor: { prototype: { polluted: true } } })).toBe(true);
    expect(check({ deep: { constructor: { prototype: {} } } })).toBe(true);
  });

  it('looks at what toJSON returns, as JSON.stringify does', () => {
    const sneaky = { toJSON: () => JSON.parse('{"__proto__":{"x":1}}') };
    expect(check({ sneaky })).toBe(true);
    expect(check({ at: new Date(0) })).toBe(false);
  });

  it('does not walk the value when the encoded text lacks both words', () => {
    const value = {
      get trap(): never {
        throw new Error('walked');
      },
    };
    expect(hasPrototypeKeys(value, Buffer.from('{"trap":1}'))).toBe(false);
  });
});
