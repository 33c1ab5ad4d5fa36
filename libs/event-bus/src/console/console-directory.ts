import { Injectable, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { BoundSubscription } from '../consuming/bound-subscription';
import type { SubscriptionDirectory } from '../consuming/subscription-directory.interface';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_SUBSCRIPTIONS } from '../event-bus.constants';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import type { ResolvedEventBusOptions } from '../options/resolved-options';

/**
 * What the console needs to know of the bus beyond its public services: the subscriptions of
 * this service (the only queues the console acts on) and the module options (service name,
 * `schemas`, message size limit). `EventBusModule` keeps these providers private, so they are
 * looked up across modules once, when first needed.
 */
@Injectable()
export class ConsoleDirectory {
  private registry?: SubscriptionDirectory;
  private resolved?: ResolvedEventBusOptions;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The bus's resolved options. */
  get options(): ResolvedEventBusOptions {
    return (this.resolved ??= this.lookUp<ResolvedEventBusOptions>(EVENT_BUS_RESOLVED_OPTIONS));
  }

  /** This service's subscriptions, in the order they were bound. */
  subscriptions(): readonly BoundSubscription[] {
    return (this.registry ??= this.lookUp<SubscriptionDirectory>(EVENT_BUS_SUBSCRIPTIONS)).subscriptions();
  }

  /**
   * The subscription that owns `queue` (a handler queue or its dead-letter queue).
   *
   * @throws NotFoundException naming this service's queues, for any other name
   */
  subscriptionOf(queue: string): BoundSubscription {
    const all = this.subscriptions();
    const spec = all.find((s) => s.queue === queue || s.deadLetterQueue === queue);
    if (spec) return spec;
    const known = all.map((s) => s.queue).join(', ') || 'none yet';
    throw new NotFoundException(`${queue} is not a queue of service ${this.options.serviceName}; its queues are: ${known}`);
  }

  /** The DTO events of a subscription are validated with: its own `schema`, else the module's `schemas[type]`. */
  schemaOf(spec: BoundSubscription): ClassConstructor | undefined {
    return spec.options.schema ?? this.options.schemas[spec.type];
  }

  private lookUp<T>(token: string): T {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      throw new Error('EventBusConsoleModule needs EventBusModule.forRoot() or forRootAsync() imported by the application');
    }
  }
}
