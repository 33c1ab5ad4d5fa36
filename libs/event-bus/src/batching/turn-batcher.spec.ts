import { TurnBatcher } from './turn-batcher';

describe('TurnBatcher', () => {
  it('runs the calls of one turn as one batch, answering each with its own output', async () => {
    const batches: number[][] = [];
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((n) => n * 10);
    });

    const outputs = await Promise.all([batcher.call(1), batcher.call(2), batcher.call(3)]);

    expect(outputs).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a new batch for calls made in a later turn', async () => {
    const batches: number[][] = [];
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs;
    });

    await batcher.call(1);
    await Promise.all([batcher.call(2), batcher.call(3)]);

    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('sends a full batch at once and keeps the rest for the end of the turn', async () => {
    const batches: number[][] = [];
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs;
    }, 2);

    const pending = [1, 2, 3, 4, 5].map((n) => batcher.call(n));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);

    await expect(Promise.all(pending)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every call of a batch that failed, and the next batch still runs', async () => {
    let fail = true;
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      if (fail) throw new Error('store down');
      return inputs;
    });

    const failed = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['store down', 'store down']);

    fail = false;
    await expect(batcher.call(3)).resolves.toBe(3);
  });

  it('rejects the calls when the batch function throws synchronously', async () => {
    const batcher = new TurnBatcher<number, number>(() => {
      throw new Error('bad arguments');
    });
    await expect(batcher.call(1)).rejects.toThrow('bad arguments');
  });

  it('rejects every call when the batch answers with the wrong number of outputs', async () => {
    const batcher = new TurnBatcher<number, number>(async () => [1]);
    const results = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(((r as PromiseRejectedResult).reason as Error).message).toMatch(/batch of 2 calls answered with 1 results/);
    }
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new TurnBatcher(async (i: number[]) => i, 0)).toThrow(/maxBatch must be a positive integer, got 0/);
  });
});
