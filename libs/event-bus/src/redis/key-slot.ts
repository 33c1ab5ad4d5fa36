// cluster-key-slot is the slot function ioredis routes its own cluster commands with: table-driven
// CRC-16 over the key's UTF-8 bytes, honouring hash tags. It ships without type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const clusterKeySlot = require('cluster-key-slot') as (key: string) => number;

/**
 * The cluster slot of a key, as Redis computes it: CRC-16 of the key, or only of its hash
 * tag (the text between the first `{` and the next `}`, when not empty), modulo 16384.
 * Keys of one slot may share a script call or a multi-key command.
 */
export function keySlot(key: string): number {
  return clusterKeySlot(key);
}
