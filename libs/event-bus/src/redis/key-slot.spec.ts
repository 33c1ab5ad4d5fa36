import { keySlot } from './key-slot';

describe('keySlot', () => {
  it('hashes a whole key with CRC-16/XMODEM modulo 16384 (Redis Cluster specification example)', () => {
    // The specification's check value: CRC-16/XMODEM("123456789") = 0x31C3 = 12739.
    expect(keySlot('123456789')).toBe(12739);
  });

  it('hashes only the hash tag when a key has one', () => {
    expect(keySlot('events:latest:{Order.Placed}:42')).toBe(keySlot('Order.Placed'));
    expect(keySlot('events:latest-index:{Order.Placed}')).toBe(keySlot('Order.Placed'));
  });

  it('hashes the whole key when the braces are empty or unclosed', () => {
    expect(keySlot('a{}b')).not.toBe(keySlot(''));
    expect(keySlot('a{}b')).toBe(keySlot('a{}b'));
    expect(keySlot('a{b')).not.toBe(keySlot('b'));
  });

  it('takes the first tag only, and hashes multi-byte characters as UTF-8', () => {
    expect(keySlot('{x}{y}')).toBe(keySlot('x'));
    expect(keySlot('é')).toBe(keySlot('\u00e9'));
    expect(keySlot('{é}suffix')).toBe(keySlot('é'));
  });
});
