/** One call waiting for its batch. */
interface QueuedCall<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the calls made during one turn of the event loop and runs them as one batch.
 *
 * A consumer with prefetch N has up to N deliveries in flight, and the deliveries of one
 * socket read reach the ledger in the same turn: sending their Redis work as one script call
 * instead of one call each saves a round trip, a reply parse and the Redis server's per-command
 * overhead for every message but the first. The batch leaves at `setImmediate`, i.e. as soon as
 * the turn's I/O callbacks and their promise chains have run, so a lone call waits for no timer.
 */
export class TurnBatcher<I, O> {
  private queued: Array<QueuedCall<I, O>> = [];
  private scheduled = false;

  /**
   * @param runBatch does the work of many calls at once; resolves with one output per input, in order
   * @param maxBatch a batch this large leaves at once, without waiting for the end of the turn
   */
  constructor(
    private readonly runBatch: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`TurnBatcher: maxBatch must be a positive integer, got ${maxBatch}`);
  }

  /** Queues one call; settles with its own output, or with the error that failed its batch. */
  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queued.push({ input, resolve, reject });
      if (this.queued.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushScheduled);
      }
    });
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    let running: Promise<O[]>;
    try {
      running = this.runBatch(batch.map((c) => c.input));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (outputs) => {
        if (!Array.isArray(outputs) || outputs.length !== batch.length) {
          const error = new Error(
            `batch of ${batch.length} calls answered with ${Array.isArray(outputs) ? outputs.length : typeof outputs} results`,
          );
          for (const c of batch) c.reject(error);
          return;
        }
        batch.forEach((c, i) => c.resolve(outputs[i] as O));
      },
      (error: unknown) => {
        for (const c of batch) c.reject(error);
      },
    );
  }
}
