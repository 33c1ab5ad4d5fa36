import { claimOrder, fairShare } from './partition-share';

describe('fairShare', () => {
  it.each([
    [8, 1, 8],
    [8, 2, 4],
    [8, 3, 3],
    [6, 4, 2],
    [6, 6, 1],
    [6, 10, 1],
    [1, 3, 1],
  ])('%i partitions over %i instances: %i each', (partitions, members, share) => {
    expect(fairShare(partitions, members)).toBe(share);
  });

  it('covers every partition, whatever the number of instances', () => {
    for (let partitions = 1; partitions <= 64; partitions++) {
      for (let members = 1; members <= 70; members++) expect(fairShare(partitions, members) * members).toBeGreaterThanOrEqual(partitions);
    }
  });

  it('counts a member count of 0 (not yet seen) as this instance alone', () => {
    expect(fairShare(8, 0)).toBe(8);
  });
});

describe('claimOrder', () => {
  it('lists every partition once, starting at the offset', () => {
    expect(claimOrder(5, 2)).toEqual([2, 3, 4, 0, 1]);
    expect(claimOrder(5, 12)).toEqual([2, 3, 4, 0, 1]);
    expect(claimOrder(3, -1)).toEqual([2, 0, 1]);
    expect(claimOrder(1, 7)).toEqual([0]);
  });
});
