import { ContextIdFactory, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { EVENT_PARAM_ARGS_METADATA } from '../decorators/event-param.metadata';
import { EVENT_BUS_CONTEXT_TYPE } from '../event-bus.constants';
import type { EventContext } from '../interfaces/event-context.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { EventHandler } from '../interfaces/subscribe-options.interface';
import type { EventContextCreator } from './event-context.creator';
import type { EventParamsFactory } from './event-params.factory';

/** Enhancers around a decorated method; exception filters stay off, failures go to retry / dead-letter. */
export const METHOD_ENHANCERS = { guards: true, interceptors: true, filters: false };

/** The `ModuleRef` of the module that declares a provider or controller (its own injector scope). */
export function hostModuleRef(wrapper: InstanceWrapper): ModuleRef {
  const ref = wrapper.host?.providers.get(ModuleRef)?.instance as ModuleRef | undefined;
  if (!ref) throw new Error(`${wrapper.name}: cannot find the module that declares it, so its scoped instances cannot be resolved`);
  return ref;
}

/**
 * A handler on a request-scoped provider (or one depending on a request-scoped provider),
 * run the way Nest's microservice transports run theirs: each delivery gets a context id
 * (through `ContextIdFactory`, so a registered `ContextIdStrategy` applies), the event is
 * registered as that context's `REQUEST` (for a durable tree, the strategy's payload, as
 * Nest does for HTTP), the handler's instance is resolved in that context by its declaring
 * module, and its enhancers (request-scoped ones too) are created for it. A retry is a new
 * delivery and gets a new instance. This costs a resolution per event, which only scoped
 * handlers pay.
 */
export function scopedHandler(
  creator: EventContextCreator,
  params: EventParamsFactory,
  wrapper: InstanceWrapper,
  methodName: string,
): EventHandler {
  const moduleRef = hostModuleRef(wrapper);
  const durable = wrapper.isDependencyTreeDurable();
  return async (event: EventEnvelope, ctx: EventContext) => {
    const contextId = ContextIdFactory.getByRequest(event);
    moduleRef.registerRequestByContextId(durable ? contextId.payload : event, contextId);
    const instance = await moduleRef.resolve<unknown, Record<string, (...args: unknown[]) => unknown>>(wrapper.token, contextId, {
      strict: true,
    });
    const handler = creator.create(
      instance,
      instance[methodName],
      methodName,
      EVENT_PARAM_ARGS_METADATA,
      params,
      contextId,
      wrapper.id,
      METHOD_ENHANCERS,
      EVENT_BUS_CONTEXT_TYPE,
    );
    await handler(event, ctx);
  };
}
