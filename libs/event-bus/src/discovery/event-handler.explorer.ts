import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { Inject } from '@nestjs/common';
import { SubscriptionRegistry } from '../consuming/subscription-registry';
import type { OnEventMetadata } from '../decorators/on-event.decorator';
import { EVENT_BUS_RESOLVED_OPTIONS } from '../event-bus.constants';
import { subscribeOptionProblems } from '../options/validate-options';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { defaultQueueName, handlerQueueName } from '../topology/queue-naming';
import { EventMetadataAccessor } from './event-metadata.accessor';
import { HandlerInvokerFactory } from './handler-invoker.factory';

/** A decorated method found in the application. */
interface FoundHandler {
  instance: object;
  className: string;
  methodName: string;
  binding: OnEventMetadata;
}

/**
 * Finds `@OnEvent` methods on providers and controllers once every module is initialised,
 * names their queues (SPEC §5) and binds them. A type handled by several methods of one
 * service gives each its own queue, so each method sees every event.
 */
@Injectable()
export class EventHandlerExplorer implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly metadata: EventMetadataAccessor,
    private readonly invokers: HandlerInvokerFactory,
    private readonly registry: SubscriptionRegistry,
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const found = this.findHandlers();
    const problems = found.flatMap((h) =>
      subscribeOptionProblems(h.binding.options as Record<string, unknown>, `@OnEvent(${h.binding.type}) on ${h.className}.${h.methodName}`),
    );
    if (problems.length > 0) throw new Error(`Invalid @OnEvent options:\n  - ${problems.join('\n  - ')}`);

    const perType = new Map<string, number>();
    for (const h of found) if (!h.binding.options.queue) perType.set(h.binding.type, (perType.get(h.binding.type) ?? 0) + 1);

    for (const h of found) {
      const { type, options } = h.binding;
      const serviceName = this.options.serviceName;
      const queue =
        options.queue ??
        ((perType.get(type) ?? 0) > 1
          ? handlerQueueName(serviceName, type, h.className, h.methodName)
          : defaultQueueName(serviceName, type));
      await this.registry.register({
        type,
        options,
        queue,
        handlerName: `${h.className}.${h.methodName}`,
        handler: await this.invokers.forMethod(h.instance, h.methodName),
      });
    }
  }

  private findHandlers(): FoundHandler[] {
    const wrappers: InstanceWrapper[] = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const found: FoundHandler[] = [];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || wrapper.isAlias || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[methodName];
        for (const binding of this.metadata.bindingsOf(method)) {
          found.push({ instance, className: instance.constructor.name, methodName, binding });
        }
      }
    }
    return found;
  }
}
