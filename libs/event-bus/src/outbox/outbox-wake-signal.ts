/**
 * Wakes the relay: a notification, a shutdown, or the poll timer, whichever comes first.
 * A wake-up that arrives while the relay is busy is remembered, so a row committed during a
 * batch is not left for the next poll.
 */
export class OutboxWakeSignal {
  private pending = false;
  private waiter?: () => void;

  /** Wakes the waiting relay now, or makes its next wait return at once. */
  wake(): void {
    this.pending = true;
    this.waiter?.();
  }

  /** Resolves on the next `wake()` (or a remembered one), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
