import { Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { ApplicationConfig, ExternalContextCreator, ModuleRef, ModulesContainer, type NestContainer } from '@nestjs/core';
import { ExternalExceptionFilterContext } from '@nestjs/core/exceptions/external-exception-filter-context';
import { GuardsConsumer, GuardsContextCreator } from '@nestjs/core/guards';
import { InterceptorsConsumer, InterceptorsContextCreator } from '@nestjs/core/interceptors';
import { PipesConsumer, PipesContextCreator } from '@nestjs/core/pipes';
import { EVENT_BUS_CONTEXT_TYPE, EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import type { EventHandler } from '../interfaces/subscribe-options.interface';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/**
 * Wraps handlers so Nest enhancers run around them, with execution-context type
 * `'event-bus'` (`context.getType()`; the arguments are `[event, ctx]`).
 *
 * Like Nest's own microservice transports, the context creators get an application config
 * of their own rather than the HTTP application's: guards, interceptors and pipes declared
 * on the handler's class or method apply, the module's `interceptors` option applies to
 * every handler, and global HTTP guards (an auth guard reading request headers, say) do not
 * run on events.
 */
@Injectable()
export class HandlerInvokerFactory {
  private contextCreator?: ExternalContextCreator;

  constructor(
    private readonly modulesContainer: ModulesContainer,
    private readonly moduleRef: ModuleRef,
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
  ) {}

  /** A decorated method, bound to its instance, with its class and method enhancers. */
  async forMethod(instance: object, methodName: string): Promise<EventHandler> {
    const creator = await this.creator();
    const method = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName];
    return creator.create(
      instance,
      method,
      methodName,
      undefined,
      undefined,
      undefined,
      undefined,
      {
        guards: true,
        interceptors: true,
        filters: false,
      },
      EVENT_BUS_CONTEXT_TYPE,
    ) as unknown as EventHandler;
  }

  /** A plain function from `subscribe()`; only the module's interceptors apply. */
  async forFunction(handler: EventHandler): Promise<EventHandler> {
    const creator = await this.creator();
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

  private async creator(): Promise<ExternalContextCreator> {
    if (this.contextCreator) return this.contextCreator;
    const config = new ApplicationConfig();
    config.useGlobalInterceptors(...(await this.moduleInterceptors()));
    // The context creators only look modules up (`getModules`), so a view of the public
    // ModulesContainer is all the "container" they need.
    const container = { getModules: () => this.modulesContainer } as unknown as NestContainer;
    this.contextCreator = new ExternalContextCreator(
      new GuardsContextCreator(container),
      new GuardsConsumer(),
      new InterceptorsContextCreator(container, config),
      new InterceptorsConsumer(),
      this.modulesContainer,
      new PipesContextCreator(container),
      new PipesConsumer(),
      new ExternalExceptionFilterContext(container),
    );
    return this.contextCreator;
  }

  /** Instances of the module's `interceptors`: the user's provider if registered, else a new one. */
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
