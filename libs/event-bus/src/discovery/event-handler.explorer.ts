import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { SubscriptionRegistry, type HandlerBinding } from '../consuming/subscription-registry';
import { UnsupportedHandlerError } from '../errors/unsupported-handler.error';
import { EventMetadataAccessor } from './event-metadata.accessor';
import { handlerParamProblems } from './handler-params.check';
import { HandlerInvokerFactory } from './handler-invoker.factory';

/**
 * Finds `@OnEvent` methods on providers and controllers once every module is initialised and
 * hands them to the registry, which checks their options, names their queues and binds them.
 * Parameter declarations that would make a handler silently wrong are refused first, all at
 * once (`UnsupportedHandlerError`). Scoped providers are bound by the invoker factory
 * (request-scoped: an instance per event).
 */
@Injectable()
export class EventHandlerExplorer implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly metadata: EventMetadataAccessor,
    private readonly invokers: HandlerInvokerFactory,
    private readonly registry: SubscriptionRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.bindDecorated(this.findHandlers());
  }

  private findHandlers(): HandlerBinding[] {
    const wrappers: InstanceWrapper[] = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const found: HandlerBinding[] = [];
    const problems: string[] = [];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || wrapper.isAlias || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      const className = instance.constructor.name;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[methodName];
        const bindings = this.metadata.bindingsOf(method);
        if (bindings.length > 0) problems.push(...handlerParamProblems(instance, methodName));
        for (const { type, options } of bindings) {
          found.push({
            type,
            options,
            handlerName: `${className}.${methodName}`,
            method: { className, methodName },
            resolveHandler: () => this.invokers.forMethod(wrapper, methodName),
          });
        }
      }
    }
    if (problems.length > 0) throw new UnsupportedHandlerError(problems);
    return found;
  }
}
