import type { PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { assignMetadata } from '@nestjs/common/decorators/http/route-params.decorator';

/**
 * Metadata key under which the parameter decorators of an `@OnEvent` method record what each
 * parameter receives: Nest's own route-argument key and format, as its microservices use, so
 * Nest's scanner registers pipe classes given to the decorators (`@EventPayload('n',
 * ParseIntPipe)`) as injectables and `ExternalContextCreator` reads them.
 */
export const EVENT_PARAM_ARGS_METADATA = ROUTE_ARGS_METADATA;

/**
 * What a decorated parameter receives. Nest hands pipes `metadata.type` by this number:
 * `'body'` for `RouteParamtypes.BODY` (3), `'custom'` for numbers it does not know. The
 * payload is `'body'`, as for `@Body()` and microservices' `@Payload()`, so `ValidationPipe`
 * validates it; the others are `'custom'`, which `ValidationPipe` leaves alone unless
 * `validateCustomDecorators` is set (as for Nest's `@Headers()`).
 */
export enum EventParamtype {
  /** `envelope.data`, or a property of it (`@EventPayload()`); `RouteParamtypes.BODY`. */
  PAYLOAD = 3,
  /** The whole envelope (`@Event()`). */
  EVENT = 20,
  /** The delivery facts (`@EventCtx()`). */
  CONTEXT = 21,
  /** An AMQP header of the delivery, or all of them (`@EventHeader()`). */
  HEADER = 22,
}

/** A pipe as the parameter decorators take it: an instance, or a class Nest instantiates. */
export type EventParamPipe = PipeTransform | Type<PipeTransform>;

/** One decorated parameter, as stored (Nest's `RouteParamMetadata` shape). */
export interface EventParamMetadata {
  index: number;
  data?: string;
  pipes: EventParamPipe[];
}

/**
 * Records that parameter `index` of `key` receives `paramtype` (with `data`: a path or a
 * header name), transformed by `pipes`. Stored on the class like Nest's own decorators, so
 * `ExternalContextCreator` finds it with the metadata key above.
 */
export function recordEventParam(
  target: object,
  key: string | symbol | undefined,
  index: number,
  paramtype: EventParamtype,
  data: string | undefined,
  pipes: EventParamPipe[],
): void {
  if (key === undefined) throw new Error('Event parameter decorators apply to parameters of @OnEvent methods, not of constructors');
  const ctor = target.constructor;
  const existing = (Reflect.getMetadata(EVENT_PARAM_ARGS_METADATA, ctor, key) as Record<string, EventParamMetadata> | undefined) ?? {};
  Reflect.defineMetadata(EVENT_PARAM_ARGS_METADATA, assignMetadata(existing, paramtype, index, data, ...pipes), ctor, key);
}

/** Splits the optional first argument of a decorator into its data (a string) and pipes. */
export function dataAndPipes(first: string | EventParamPipe | undefined, rest: EventParamPipe[]): [string | undefined, EventParamPipe[]] {
  if (first === undefined || typeof first === 'string') return [first, rest];
  return [undefined, [first, ...rest]];
}
