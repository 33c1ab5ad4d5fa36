import type { ConsumeMessage } from 'amqplib';
import { MessageHeldSignal } from '../errors/message-held.signal';
import type { EventBusLogger } from '../logging/event-bus-logger';
import type { BoundSubscription } from './bound-subscription';
import type { InboundEvent } from './consume-interceptor.interface';

/** How a delivery is settled once the consume chain is done with it. */
export type DeliverySettlement = 'ack' | 'reject' | 'requeue';

/**
 * Runs one delivery through the consume chain and says how to settle it, for every kind of
 * consumer (a subscription's queue, a partition of an `ordered: 'byKey'` one):
 * - `ack` when the chain finished: handled, a duplicate, scheduled for retry or dead-lettered
 *   with its failure headers;
 * - `requeue` when it was held (stopping while the event cannot be processed): back to the
 *   queue, untouched;
 * - `reject` only when even dead-lettering failed. Nothing may loop, so no requeue: the queue's
 *   own dead-letter exchange keeps the message in its DLQ, and the failure is logged.
 */
export async function settleAfterChain(
  pipeline: (event: InboundEvent) => Promise<void>,
  event: InboundEvent,
  message: ConsumeMessage,
  spec: BoundSubscription,
  logger: EventBusLogger,
): Promise<DeliverySettlement> {
  try {
    await pipeline(event);
    return 'ack';
  } catch (err) {
    if (err instanceof MessageHeldSignal) return 'requeue';
    logger.error(`Event could not be dead-lettered with its failure headers; rejected to the DLQ by the broker`, {
      error: (err as Error)?.message ?? String(err),
      eventId: event.envelope?.id ?? message.properties.messageId,
      type: event.envelope?.type ?? message.fields.routingKey,
      queue: spec.queue,
      handler: spec.handlerName,
    });
    return 'reject';
  }
}
