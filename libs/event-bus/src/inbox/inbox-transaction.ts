import type { EventContext } from '../interfaces/event-context.interface';

/** The transaction of each delivery that is running under the inbox, by its context object. */
const transactions = new WeakMap<EventContext, unknown>();

/** Hands `transaction` to the handler of the delivery whose context is `ctx`. */
export function bindInboxTransaction(ctx: EventContext, transaction: unknown): void {
  transactions.set(ctx, transaction);
}

/** Ends the hand-over once the handler has returned. */
export function unbindInboxTransaction(ctx: EventContext): void {
  transactions.delete(ctx);
}

/**
 * The database transaction an `inbox: true` handler runs in: write through it, and the writes
 * commit together with the inbox record (or roll back with it). Its type is what the inbox's
 * transaction runner hands out: a `pg` `PoolClient` (default), a TypeORM `EntityManager` or a
 * Prisma transaction client.
 *
 * ```ts
 * @OnEvent('USER_CREATED', { inbox: true })
 * async onUser(event: EventEnvelope<User>, ctx: EventContext) {
 *   await inboxTransaction<PoolClient>(ctx).query('INSERT INTO cases (user_id) VALUES ($1)', [event.data.id]);
 * }
 * ```
 * @throws Error outside an `inbox: true` handler (or after it returned)
 */
export function inboxTransaction<TTransaction = unknown>(ctx: EventContext): TTransaction {
  if (!transactions.has(ctx)) {
    throw new Error(
      'inboxTransaction(ctx): no inbox transaction for this delivery; subscribe with { inbox: true } and call it inside the handler',
    );
  }
  return transactions.get(ctx) as TTransaction;
}
