/** Counts handlers in progress so shutdown can wait for them. */
export class InFlightTracker {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** Runs `work`, counted while it runs. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) for (const done of this.waiters.splice(0)) done();
    }
  }

  /** Handlers in progress now. */
  get size(): number {
    return this.count;
  }

  /** Resolves when nothing is in progress, or after `timeoutMs`; tells which. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return result;
  }
}
