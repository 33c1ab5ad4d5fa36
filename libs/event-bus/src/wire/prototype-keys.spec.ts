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

describe('hasPrototypeKeys, members JSON.stringify leaves out', () => {
  it('ignores keys whose values are not written (undefined, functions, symbols)', () => {
    expect(check({ constructor: { prototype: undefined } })).toBe(false);
    expect(check({ constructor: { prototype: () => 1 } })).toBe(false);
    expect(check({ constructor: undefined, other: { constructor: Symbol('s') } })).toBe(false);
  });

  it('passes the key to toJSON, as JSON.stringify does', () => {
    const keyed = { toJSON: (key: string) => (key === 'constructor' ? { prototype: {} } : 'plain') };
    expect(check({ constructor: keyed })).toBe(true);
    expect(check({ other: keyed })).toBe(false);
  });

  it('checks very deep values by their text, without refusing them for a harmless word', () => {
    let deep: unknown = { note: 'constructor' };
    for (let i = 0; i < 2_000; i++) deep = { next: deep };
    expect(check(deep)).toBe(false);
    let polluted: unknown = JSON.parse('{"__proto__":{"x":1}}');
    for (let i = 0; i < 2_000; i++) polluted = { next: polluted };
    expect(check(polluted)).toBe(true);
  });
});
