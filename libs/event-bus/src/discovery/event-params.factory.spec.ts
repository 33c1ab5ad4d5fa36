import { EventParamtype } from '../decorators/event-param.metadata';
import type { EventContext } from '../interfaces/event-context.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import { describeEventParam, EventParamsFactory } from './event-params.factory';

describe('EventParamsFactory', () => {
  const factory = new EventParamsFactory();
  const event = { id: 'e1', type: 'T', data: { order: { id: 'o1' } }, metadata: {} } as unknown as EventEnvelope;
  const ctx: EventContext = { attempt: 2, queue: 'svc.T', redelivered: false };
  Object.defineProperty(ctx, 'headers', { value: { 'x-tenant': 'acme', 'X-Case': 1 }, enumerable: false });
  const args = [event, ctx];

  it('extracts the envelope, the payload or a path in it, the context and headers', () => {
    expect(factory.exchangeKeyForValue(EventParamtype.EVENT, undefined, args)).toBe(event);
    expect(factory.exchangeKeyForValue(EventParamtype.PAYLOAD, undefined, args)).toBe(event.data);
    expect(factory.exchangeKeyForValue(EventParamtype.PAYLOAD, 'order.id', args)).toBe('o1');
    expect(factory.exchangeKeyForValue(EventParamtype.PAYLOAD, 'order.total', args)).toBeUndefined();
    expect(factory.exchangeKeyForValue(EventParamtype.CONTEXT, undefined, args)).toBe(ctx);
    expect(factory.exchangeKeyForValue(EventParamtype.HEADER, 'x-tenant', args)).toBe('acme');
    expect(factory.exchangeKeyForValue(EventParamtype.HEADER, 'x-case', args)).toBeUndefined();
    expect(factory.exchangeKeyForValue(EventParamtype.HEADER, undefined, args)).toEqual({ 'x-tenant': 'acme', 'X-Case': 1 });
  });

  it('gives {} for all headers of a context without any, and undefined for an unknown parameter type', () => {
    const bare: EventContext = { attempt: 1, queue: 'q', redelivered: false };
    expect(factory.exchangeKeyForValue(EventParamtype.HEADER, undefined, [event, bare])).toEqual({});
    expect(factory.exchangeKeyForValue(99, undefined, args)).toBeUndefined();
  });

  it('describes parameters as they are written', () => {
    expect(describeEventParam(EventParamtype.PAYLOAD, undefined)).toBe('@EventPayload()');
    expect(describeEventParam(EventParamtype.PAYLOAD, 'age')).toBe("@EventPayload('age')");
    expect(describeEventParam(EventParamtype.HEADER, 'x-tenant')).toBe("@EventHeader('x-tenant')");
    expect(describeEventParam(EventParamtype.EVENT, undefined)).toBe('@Event()');
  });
});
