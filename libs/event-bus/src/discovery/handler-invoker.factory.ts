import { Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { ApplicationConfig, ModuleRef, ModulesContainer, type NestContainer } from '@nestjs/core';
import { ExternalExceptionFilterContext } from '@nestjs/core/exceptions/external-exception-filter-context';
import { GuardsConsumer, GuardsContextCreator } from '@nestjs/core/guards';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { InterceptorsConsumer, InterceptorsContextCreator } from '@nestjs/core/interceptors';
import { PipesConsumer, PipesContextCreator } from '@nestjs/core/pipes';
import { EVENT_PARAM_ARGS_METADATA } from '../decorators/event-param.metadata';
import { EVENT_BUS_CONTEXT_TYPE, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { EventHandler } from '../interfaces/subscribe-options.interface';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { directHandler, hasNoEnhancers } from './direct-handler';
import { EventContextCreator } from './event-context.creator';
import { EventParamsFactory } from './event-params.factory';
import { hostModuleRef, METHOD_ENHANCERS, scopedHandler } from './scoped-handler';

/**
 * Wraps handlers so Nest enhancers run around them, with execution-context type
 * `'event-bus'` (`context.getType()`; the arguments are `[event, ctx]`).
 *
 * Like Nest's own microservice transports, the context creators get an application config
 * of their own rather than the HTTP application's: guards, interceptors and pipes declared
 * on the handler's class or method apply, the module's `interceptors` option applies to
 * every handler, and global HTTP guards (an auth guard reading request headers, say) do not
 * run on events. The application's global pipes apply when the module option
 * `useGlobalPipes` says so. Parameter decorators (`@EventPayload()`, ...) are read with the
 * bus's own params factory; guard and pipe refusals become non-retryable failures.
 */
@Injectable()
export class HandlerInvokerFactory {
  private contextCreator?: EventContextCreator;
  /** Whether the module's `interceptors` option named any (set with the context creator). */
  private moduleWide = true;
  private readonly params = new EventParamsFactory();

  constructor(
    private readonly modulesContainer: ModulesContainer,
    private readonly moduleRef: ModuleRef,
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
  ) {}

  /**
   * A decorated method of a provider or controller, with its class and method enhancers.
   * - Singleton (static dependency tree): bound once to the instance. With no parameter
   *   decorators Nest calls it as `(event, ctx)` with no per-event pipe work, so this fast
   *   path costs what it cost before parameter decorators existed.
   * - Transient: an instance of its own, resolved once here (the discovered one is an empty
   *   prototype whose dependencies were never injected).
   * - Request-scoped (itself or through a dependency; durable too): a fresh instance per
   *   event, resolved per delivery (see `scopedHandler`).
   */
  async forMethod(wrapper: InstanceWrapper, methodName: string): Promise<EventHandler> {
    const creator = await this.creator();
    if (!wrapper.isDependencyTreeStatic()) return scopedHandler(creator, this.params, wrapper, methodName);
    let instance = wrapper.instance as Record<string, (...args: unknown[]) => unknown>;
    if (wrapper.isTransient) instance = await hostModuleRef(wrapper).resolve(wrapper.token, undefined, { strict: true });
    if (this.nothingModuleWide() && hasNoEnhancers(instance, methodName)) return directHandler(instance, instance[methodName]);
    return creator.create(
      instance,
      instance[methodName],
      methodName,
      EVENT_PARAM_ARGS_METADATA,
      this.params,
      undefined,
      undefined,
      METHOD_ENHANCERS,
      EVENT_BUS_CONTEXT_TYPE,
    ) as unknown as EventHandler;
  }

  /** A plain function from `subscribe()`; only the module's interceptors apply. */
  async forFunction(handler: EventHandler): Promise<EventHandler> {
    const creator = await this.creator();
    if (this.nothingModuleWide()) return directHandler(undefined, handler as (...args: unknown[]) => unknown);
    const host = { handle: handler };
    return creator.create(
      host,
      handler as (...args: unknown[]) => unknown,
      'handle',
      undefined,
      undefined,
      undefined,
      undefined,
      {
        guards: false,
        interceptors: true,
        filters: false,
      },
      EVENT_BUS_CONTEXT_TYPE,
    ) as unknown as EventHandler;
  }

  private async creator(): Promise<EventContextCreator> {
    if (this.contextCreator) return this.contextCreator;
    const config = new ApplicationConfig();
    const interceptors = await this.moduleInterceptors();
    this.moduleWide = interceptors.length > 0 || this.options.useGlobalPipes;
    config.useGlobalInterceptors(...interceptors);
    // The context creators only look modules up (`getModules`), so a view of the public
    // ModulesContainer is all the "container" they need.
    const container = { getModules: () => this.modulesContainer } as unknown as NestContainer;
    this.contextCreator = new EventContextCreator(
      new GuardsContextCreator(container),
      new GuardsConsumer(),
      new InterceptorsContextCreator(container, config),
      new InterceptorsConsumer(),
      this.modulesContainer,
      new PipesContextCreator(container, this.options.useGlobalPipes ? this.applicationConfig() : undefined),
      new PipesConsumer(),
      new ExternalExceptionFilterContext(container),
    );
    return this.contextCreator;
  }

  /**
   * The application's own config, holding `app.useGlobalPipes()` and `APP_PIPE` pipes. Nest
   * keeps it on its container only, which `ModuleRef` holds in a protected field (its
   * microservice transports are handed the container directly).
   */
  private applicationConfig(): ApplicationConfig | undefined {
    return (this.moduleRef as unknown as { container?: NestContainer }).container?.applicationConfig;
  }

  /** Instances of the module's `interceptors`: the user's provider if registered, else a new one. */
  /**
   * Whether no enhancer applies to every handler (no module `interceptors`, no global pipes):
   * then a handler without enhancers of its own is called straight, skipping Nest's per-event
   * context work (measured in docs/benchmarks.md, "Where the time goes").
   */
  private nothingModuleWide(): boolean {
    return !this.moduleWide;
  }

  private moduleInterceptors(): Promise<NestInterceptor[]> {
    return Promise.all(
      this.options.interceptors.map(async (type) => {
        try {
          return this.moduleRef.get(type, { strict: false });
        } catch {
          return this.moduleRef.create(type);
        }
      }),
    );
  }
}
