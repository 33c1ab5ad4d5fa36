/** `publish()` or `subscribe()` was called after the application started shutting down. */
export class EventBusClosedError extends Error {
  constructor(readonly operation: string) {
    super(`Cannot ${operation}: the event bus is shutting down.`);
    this.name = 'EventBusClosedError';
  }
}
