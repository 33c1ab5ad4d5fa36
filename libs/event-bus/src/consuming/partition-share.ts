/**
 * How many of a subscription's `partitions` one of `members` live instances should own: an
 * equal share rounded up, so the shares always cover every partition.
 */
export function fairShare(partitions: number, members: number): number {
  return Math.ceil(partitions / Math.max(1, members));
}

/**
 * The order in which an instance tries partitions nobody owns: all of them, starting at its own
 * `offset`, so instances that start together mostly try different ones first.
 */
export function claimOrder(partitions: number, offset: number): number[] {
  const start = ((offset % partitions) + partitions) % partitions;
  return Array.from({ length: partitions }, (_, i) => (start + i) % partitions);
}
