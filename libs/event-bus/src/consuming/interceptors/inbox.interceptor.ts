import type { EventInbox } from '../../inbox/event-inbox.interface';
import { bindInboxTransaction, unbindInboxTransaction } from '../../inbox/inbox-transaction';
import { ledgerEventKey } from '../../idempotency/ledger-event-key';
import type { EventBusLogger } from '../../logging/event-bus-logger';
import { envelopeOf, type ConsumeInterceptor, type InboundEvent, type NextStage } from '../consume-interceptor.interface';

/** Options of the inbox stage. */
export interface InboxInterceptorOptions {
  inbox: EventInbox;
  logger: EventBusLogger;
}

/**
 * `inbox: true`: the handler runs inside a database transaction that also records
 * (queue, event), so its database effects happen once even if the process dies between its
 * commit and the ack (docs/outbox-inbox.md). The event is identified as the Redis ledger does
 * (source + id). Inside the retry stage: every attempt is its own transaction, and a failed
 * one rolls back, record included, before the retry or dead-letter path takes over.
 */
export class InboxInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: InboxInterceptorOptions) {}

  async intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const envelope = envelopeOf(event);
    const queue = event.subscription.queue;
    const outcome = await this.options.inbox.run(queue, ledgerEventKey(envelope), async (transaction) => {
      bindInboxTransaction(event.context, transaction);
      try {
        await next();
      } finally {
        unbindInboxTransaction(event.context);
      }
    });
    if (outcome === 'duplicate') {
      event.report?.('duplicate');
      this.options.logger.debug('Event already in the inbox: acked without running the handler', { eventId: envelope.id, queue });
    }
  }
}
