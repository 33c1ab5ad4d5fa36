import { PIPES_METADATA } from '@nestjs/common/constants';
import { EVENT_PARAM_ARGS_METADATA, type EventParamMetadata } from '../decorators/event-param.metadata';

/** The decorated parameters of a handler method (empty when it keeps the plain `(event, ctx)` call). */
export function eventParamsOf(instance: object, methodName: string): EventParamMetadata[] {
  const args = Reflect.getMetadata(EVENT_PARAM_ARGS_METADATA, instance.constructor, methodName) as
    Record<string, EventParamMetadata> | undefined;
  return args ? Object.values(args) : [];
}

/**
 * What would make a handler's parameters silently wrong, checked at bootstrap:
 * - `@UsePipes` on the method of a handler without parameter decorators: pipes only
 *   transform decorated parameters, so they would never run;
 * - a parameter without a decorator next to decorated ones: Nest passes `undefined` there,
 *   so the handler would see no event.
 * `@UsePipes` on the class is not checked: a controller's class-level pipes are usually
 * meant for its HTTP routes.
 */
export function handlerParamProblems(instance: object, methodName: string): string[] {
  const method = (instance as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
  const where = `${instance.constructor.name}.${methodName}`;
  const params = eventParamsOf(instance, methodName);
  if (params.length === 0) {
    const pipes = Reflect.getMetadata(PIPES_METADATA, method) as unknown[] | undefined;
    return pipes && pipes.length > 0
      ? [
          `${where}: @UsePipes has nothing to transform; pipes apply to parameters marked with ` +
            '@EventPayload(), @Event(), @EventCtx() or @EventHeader()',
        ]
      : [];
  }
  const decorated = new Set(params.map((p) => p.index));
  const problems: string[] = [];
  for (let index = 0; index < method.length; index++) {
    if (!decorated.has(index)) {
      problems.push(
        `${where}: parameter ${index} has no decorator; once a handler uses parameter decorators, each parameter needs one ` +
          '(@EventPayload(), @Event(), @EventCtx() or @EventHeader())',
      );
    }
  }
  return problems;
}
