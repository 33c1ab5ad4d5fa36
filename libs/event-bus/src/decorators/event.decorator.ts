import { EventParamtype, recordEventParam, type EventParamPipe } from './event-param.metadata';

/**
 * Parameter decorator of `@OnEvent` methods: the whole `EventEnvelope` (id, type, data,
 * metadata), through the given and method/class pipes. (Named `Event` rather than
 * `EventEnvelope`, which is the envelope's type.)
 *
 * @example
 * @OnEvent('ORDER_PLACED')
 * onOrder(@Event() event: EventEnvelope<Order>, @EventCtx() ctx: EventContext) { ... }
 */
export function Event(...pipes: EventParamPipe[]): ParameterDecorator {
  return (target, key, index) => recordEventParam(target, key, index, EventParamtype.EVENT, undefined, pipes);
}
