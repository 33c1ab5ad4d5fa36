import type { ParamsFactory } from '@nestjs/core/helpers/external-context-creator';
import { EventParamtype } from '../decorators/event-param.metadata';
import { parsePayloadPath, valueAtPath } from '../decorators/payload-path';
import type { EventContext } from '../interfaces/event-context.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/**
 * Gives each decorated handler parameter its value from the handler's arguments
 * `[event, ctx]` (Nest's `RpcParamsFactory` plays this part for microservices). Only
 * handlers with parameter decorators reach it.
 */
export class EventParamsFactory implements ParamsFactory {
  /** Parsed `@EventPayload` paths, parsed once per distinct path rather than per event. */
  private readonly paths = new Map<string, string[]>();

  exchangeKeyForValue(type: number, data: unknown, args: unknown[] | undefined): unknown {
    if (!args) return undefined;
    const [event, ctx] = args as [EventEnvelope, EventContext];
    switch (type as EventParamtype) {
      case EventParamtype.EVENT:
        return event;
      case EventParamtype.PAYLOAD:
        return typeof data === 'string' ? valueAtPath(event.data, this.path(data)) : event.data;
      case EventParamtype.CONTEXT:
        return ctx;
      case EventParamtype.HEADER: {
        const headers = ctx.headers ?? {};
        return typeof data === 'string' ? (Object.hasOwn(headers, data) ? headers[data] : undefined) : headers;
      }
      default:
        return undefined;
    }
  }

  private path(path: string): string[] {
    let segments = this.paths.get(path);
    if (!segments) {
      segments = parsePayloadPath(path);
      this.paths.set(path, segments);
    }
    return segments;
  }
}

/** A decorated parameter as written, for error messages: `@EventPayload('age')`, `@EventHeader('x-tenant')`. */
export function describeEventParam(type: unknown, data: unknown): string {
  const name =
    type === EventParamtype.EVENT
      ? 'Event'
      : type === EventParamtype.PAYLOAD
        ? 'EventPayload'
        : type === EventParamtype.CONTEXT
          ? 'EventCtx'
          : type === EventParamtype.HEADER
            ? 'EventHeader'
            : 'parameter';
  return `@${name}(${typeof data === 'string' ? JSON.stringify(data).replace(/^"|"$/g, "'") : ''})`;
}
