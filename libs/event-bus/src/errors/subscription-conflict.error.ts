/** Two handlers of one service would consume from the same queue (they would split its events). */
export class SubscriptionConflictError extends Error {
  constructor(
    readonly queue: string,
    readonly handlers: readonly string[],
  ) {
    super(
      `Handlers ${handlers.join(' and ')} would share queue "${queue}" and each get only part of its events. ` +
        'Give one of them its own `queue` option.',
    );
    this.name = 'SubscriptionConflictError';
  }
}
