/** Default queue of a handler: `<serviceName>.<type>` (docs/topology.md §2). */
export function defaultQueueName(serviceName: string, type: string): string {
  return `${serviceName}.${type}`;
}

/** Queue of one of several handlers of one type in one service: `<serviceName>.<type>.<Class>.<method>`. */
export function handlerQueueName(serviceName: string, type: string, className: string, methodName: string): string {
  return `${serviceName}.${type}.${className}.${methodName}`;
}

/** Suffix of every dead-letter queue. */
const DEAD_LETTER_SUFFIX = '.dlq';

/** Dead-letter queue of a queue: `<queue>.dlq`. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}${DEAD_LETTER_SUFFIX}`;
}

/** Whether a queue name is a dead-letter queue's. */
export function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith(DEAD_LETTER_SUFFIX);
}

/** Dead-letter queue of a queue name given either way (`orders` or `orders.dlq`). */
export function deadLetterQueueOf(queue: string): string {
  return isDeadLetterQueue(queue) ? queue : deadLetterQueueName(queue);
}

/** The queue a dead-letter queue belongs to: `orders.dlq` -> `orders`. */
export function queueOfDeadLetterQueue(dlq: string): string {
  return isDeadLetterQueue(dlq) ? dlq.slice(0, -DEAD_LETTER_SUFFIX.length) : dlq;
}

/** Wait queue holding retries of `queue` for `delayMs`: `<queue>.retry.<delayMs>`. */
export function retryWaitQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}`;
}

/** A non-durable queue is private to one instance: the base name plus the instance id. */
export function instanceQueueName(queue: string, instanceId: string): string {
  return `${queue}.${instanceId}`;
}

/** Event types are routing keys and binding patterns, so topic wildcards and odd bytes are refused. */
const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Why `type` cannot be an event type, or `undefined` when it can. */
export function eventTypeProblem(type: unknown): string | undefined {
  if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type)) {
    return `type must be 1-200 letters, digits or '_ . : -' (got ${JSON.stringify(type)})`;
  }
  return undefined;
}
