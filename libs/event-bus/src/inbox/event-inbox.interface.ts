/** `'handled'`: the handler ran and its transaction committed; `'duplicate'`: an earlier delivery had committed, nothing ran. */
export type InboxOutcome = 'handled' | 'duplicate';

/**
 * Swap point (`EVENT_BUS_INBOX`): runs a handler at most once per (queue, event) inside a
 * database transaction that also records the event. Provided by `EventBusPostgresModule`;
 * consumed by the inbox stage of `@OnEvent(type, { inbox: true })` subscriptions.
 */
export interface EventInbox {
  /**
   * Opens a transaction, records (`queue`, `eventKey`) and runs `handle` with the transaction;
   * commits when `handle` resolves. A second delivery of an event whose first is still running
   * waits for it: then it is `'duplicate'` (first committed) or runs (first rolled back).
   * @throws whatever `handle` or the database threw; the transaction was rolled back
   */
  run(queue: string, eventKey: string, handle: (transaction: unknown) => Promise<void>): Promise<InboxOutcome>;
}
