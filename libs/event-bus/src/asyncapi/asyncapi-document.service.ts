import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { SubscriptionDirectory } from '../consuming/subscription-directory.interface';
import type { OnEventMetadata } from '../decorators/on-event.decorator';
import { EVENT_BUS_RESOLVED_OPTIONS, EVENT_BUS_SUBSCRIPTIONS, ON_EVENT_METADATA } from '../event-bus.constants';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { defaultQueueName, handlerQueueName } from '../topology/queue-naming';
import type { EventBusAsyncApiOptions } from './asyncapi-options.interface';
import { buildAsyncApiDocument, type AsyncApiDocument, type DocumentedHandler } from './asyncapi-document.builder';

/**
 * The AsyncAPI 3.0 document of this service (docs/observability.md §4). Handlers are read from
 * their `@OnEvent` decorators, not from the bound consumers, so the document can be written
 * without starting the application (`event-bus-asyncapi`); handlers bound at run time with
 * `EventBus.subscribe()` are added once they are bound.
 */
@Injectable()
export class AsyncApiDocumentService {
  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_SUBSCRIPTIONS) private readonly directory: SubscriptionDirectory,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** The document as an object. */
  document(options: EventBusAsyncApiOptions = {}): AsyncApiDocument {
    const { rabbitmq } = this.options;
    return buildAsyncApiDocument({
      serviceName: this.options.serviceName,
      exchange: rabbitmq.exchange,
      deadLetterExchange: rabbitmq.deadLetterExchange,
      brokerUrl: rabbitmq.url,
      schemas: this.options.schemas,
      handlers: this.handlers(),
      options,
    });
  }

  /** The document as JSON text. */
  json(options?: EventBusAsyncApiOptions): string {
    return `${JSON.stringify(this.document(options), null, 2)}\n`;
  }

  /** The document as YAML text. */
  yaml(options?: EventBusAsyncApiOptions): string {
    // Loaded on use: the YAML library is some 70 modules that only this call needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stringify } = require('yaml') as typeof import('yaml');
    return stringify(this.document(options), { aliasDuplicateObjects: false });
  }

  /** Decorated handlers, with queue names as the registry gives them (docs/topology.md §2), then run-time ones. */
  private handlers(): DocumentedHandler[] {
    const found: Array<OnEventMetadata & { className: string; methodName: string }> = [];
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || wrapper.isAlias || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const bindings = this.reflector.get<OnEventMetadata[] | undefined>(ON_EVENT_METADATA, method) ?? [];
        for (const b of bindings) found.push({ ...b, className: instance.constructor.name, methodName });
      }
    }
    const perType = new Map<string, number>();
    for (const b of found) if (!b.options.queue) perType.set(b.type, (perType.get(b.type) ?? 0) + 1);
    const { serviceName } = this.options;
    const handlers: DocumentedHandler[] = found.map((b) => ({
      type: b.type,
      queue:
        b.options.queue ??
        ((perType.get(b.type) ?? 0) > 1
          ? handlerQueueName(serviceName, b.type, b.className, b.methodName)
          : defaultQueueName(serviceName, b.type)),
      durable: b.options.durable !== false,
      handlerName: `${b.className}.${b.methodName}`,
      schema: b.options.schema,
    }));
    const named = new Set(handlers.map((h) => `${h.handlerName}|${h.type}`));
    for (const s of this.directory.subscriptions()) {
      if (named.has(`${s.handlerName}|${s.type}`)) continue;
      handlers.push({ type: s.type, queue: s.queue, durable: s.durable, handlerName: s.handlerName, schema: s.options.schema });
    }
    return handlers.sort((a, b) => a.queue.localeCompare(b.queue));
  }
}
