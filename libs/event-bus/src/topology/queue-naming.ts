/** Default queue of a handler: `<serviceName>.<type>` (SPEC §5). */
export function defaultQueueName(serviceName: string, type: string): string {
  return `${serviceName}.${type}`;
}

/** Queue of one of several handlers of one type in one service: `<serviceName>.<type>.<Class>.<method>`. */
export function handlerQueueName(serviceName: string, type: string, className: string, methodName: string): string {
  return `${serviceName}.${type}.${className}.${methodName}`;
}

/** Dead-letter queue of a queue. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}.dlq`;
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
