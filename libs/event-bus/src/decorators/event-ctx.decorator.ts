import { EventParamtype, recordEventParam, type EventParamPipe } from './event-param.metadata';

/**
 * Parameter decorator of `@OnEvent` methods: the delivery facts, `EventContext`
 * (`attempt`, `queue`, `redelivered`, `headers`).
 *
 * @example
 * @OnEvent('ORDER_PLACED')
 * onOrder(@EventPayload() order: Order, @EventCtx() ctx: EventContext) { if (ctx.attempt > 1) ... }
 */
export function EventCtx(...pipes: EventParamPipe[]): ParameterDecorator {
  return (target, key, index) => recordEventParam(target, key, index, EventParamtype.CONTEXT, undefined, pipes);
}
