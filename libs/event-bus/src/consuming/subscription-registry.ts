import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  EVENT_BUS_CONSUMER_FACTORY,
  EVENT_BUS_INBOX,
  EVENT_BUS_RESOLVED_OPTIONS,
  EVENT_BUS_RETRY_WAIT,
  EVENT_BUS_STATE,
  EVENT_BUS_TRANSPORT,
} from '../event-bus.constants';
import { EventBusClosedError } from '../errors/event-bus-closed.error';
import { SubscriptionConflictError } from '../errors/subscription-conflict.error';
import type { EventHandler, SubscribeOptions, Subscription } from '../interfaces/subscribe-options.interface';
import { EventBusLogger } from '../logging/event-bus-logger';
import type { ResolvedEventBusOptions } from '../options/resolved-options';
import { RedisNotConfiguredError } from '../errors/redis-not-configured.error';
import { PostgresNotConfiguredError } from '../errors/postgres-not-configured.error';
import type { EventInbox } from '../inbox/event-inbox.interface';
import type { EventBusState } from '../state/event-bus-state.interface';
import { EventBusStats } from '../stats/event-bus-stats';
import { deadLetterQueueName, defaultQueueName, eventTypeProblem, handlerQueueName, instanceQueueName } from '../topology/queue-naming';
import type { EventTransport } from '../transport/event-transport.interface';
import type { BoundSubscription } from './bound-subscription';
import { buildConsumePipeline } from './consume-pipeline.factory';
import type { ConsumerFactory } from './consumer-factory.interface';
import type { ConsumerHandle } from './consumer-handle';
import { subscribeOptionProblems } from './subscribe-options.check';
import type { SubscriptionDirectory } from './subscription-directory.interface';

/** A handler about to be bound, as `subscribe()` or the `@OnEvent` explorer hands it over. */
export interface HandlerBinding {
  type: string;
  options: SubscribeOptions;
  /** Human name for logs and errors (`Class.method`, `subscribe(fn)`). */
  handlerName: string;
  /** Class and method of a decorated handler: several handlers of one type in one service get a queue each. */
  method?: { className: string; methodName: string };
  /** Builds the callable handler (wrapped with Nest enhancers) once the binding is known to be valid. */
  resolveHandler(): Promise<EventHandler>;
}

/** A binding whose queue is named. */
interface NamedBinding extends HandlerBinding {
  queue: string;
}

/**
 * Owns this service's subscriptions: validates their options, names their queues (docs/topology.md),
 * binds a consumer to each, refuses two on one queue, stops them on shutdown.
 */
@Injectable()
export class SubscriptionRegistry implements SubscriptionDirectory {
  private readonly consumers = new Map<string, ConsumerHandle>();
  private readonly instanceId = randomBytes(4).toString('hex');
  private readonly logger: EventBusLogger;
  private closed = false;

  constructor(
    @Inject(EVENT_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedEventBusOptions,
    @Inject(EVENT_BUS_CONSUMER_FACTORY) private readonly factory: ConsumerFactory,
    @Inject(EVENT_BUS_TRANSPORT) private readonly transport: EventTransport,
    @Inject(EVENT_BUS_STATE) private readonly state: EventBusState,
    private readonly stats: EventBusStats,
    @Optional() @Inject(EVENT_BUS_RETRY_WAIT) private readonly retryWait?: (ms: number) => Promise<void>,
    @Optional() @Inject(EVENT_BUS_INBOX) private readonly inbox?: EventInbox,
  ) {
    this.logger = new EventBusLogger('EventBus:Consumer', options.secrets);
    // After a (re)connect, buffered publishes go out only once the queues are back.
    transport.setFlushGate(async () => {
      await Promise.all([...this.consumers.values()].map((c) => c.ready()));
    });
  }

  /**
   * Binds one handler given to `EventBus.subscribe()`: its type and options are checked, its
   * queue is `options.queue` or `<serviceName>.<type>`.
   */
  async subscribe(binding: HandlerBinding): Promise<Subscription> {
    const where = `EventBus.subscribe(${JSON.stringify(binding.type)})`;
    const problems = [
      eventTypeProblem(binding.type),
      ...subscribeOptionProblems(binding.options as Record<string, unknown>, 'options'),
      ...this.statePrerequisiteProblems(binding.options, 'options'),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
    return this.register({ ...binding, queue: binding.options.queue ?? defaultQueueName(this.options.serviceName, binding.type) });
  }

  /**
   * Binds every `@OnEvent` handler found at bootstrap, after checking all of them (every
   * problem is reported at once). A type handled by several methods of one service gives each
   * its own queue, `<serviceName>.<type>.<Class>.<method>`, so each method sees every event.
   */
  async bindDecorated(bindings: readonly HandlerBinding[]): Promise<void> {
    const problems = bindings.flatMap((b) => {
      const where = `@OnEvent(${b.type}) on ${b.handlerName}`;
      return [...subscribeOptionProblems(b.options as Record<string, unknown>, where), ...this.statePrerequisiteProblems(b.options, where)];
    });
    if (problems.length > 0) throw new Error(`Invalid @OnEvent options:\n  - ${problems.join('\n  - ')}`);
    const perType = new Map<string, number>();
    for (const b of bindings) if (!b.options.queue) perType.set(b.type, (perType.get(b.type) ?? 0) + 1);
    const { serviceName } = this.options;
    for (const b of bindings) {
      const { method } = b;
      const queue =
        b.options.queue ??
        (method && (perType.get(b.type) ?? 0) > 1
          ? handlerQueueName(serviceName, b.type, method.className, method.methodName)
          : defaultQueueName(serviceName, b.type));
      await this.register({ ...b, queue });
    }
  }

  /** Without Redis there is no ledger and no cache: a subscription may not ask for them. */
  private statePrerequisiteProblems(options: SubscribeOptions, where: string): string[] {
    if (options.inbox === true && !this.inbox) return [`${where}.inbox: ${new PostgresNotConfiguredError('inbox: true').message}`];
    if (this.state.enabled) return [];
    const problems: string[] = [];
    if (options.idempotent === true) problems.push(`${where}.idempotent: ${new RedisNotConfiguredError('idempotent: true').message}`);
    if (options.useCache === true) problems.push(`${where}.useCache: ${new RedisNotConfiguredError('useCache: true').message}`);
    return problems;
  }

  /** Declares the queue and starts consuming; rejects on a conflicting or refused declaration. */
  private async register(request: NamedBinding): Promise<Subscription> {
    if (this.closed) throw new EventBusClosedError('subscribe');
    const spec = this.specOf(request, await request.resolveHandler());
    const existing = this.consumers.get(spec.queue);
    if (existing) throw new SubscriptionConflictError(spec.queue, [existing.spec.handlerName, spec.handlerName]);
    const pipeline = buildConsumePipeline(spec, {
      options: this.options,
      send: (exchange, routingKey, body, properties) => this.transport.send(exchange, routingKey, body, properties),
      logger: this.logger,
      ledger: this.state.ledger,
      inbox: this.inbox,
      stats: this.stats,
      wait: this.retryWait,
    });
    const consumer = this.factory.create(spec, {
      logger: this.logger,
      pipeline: pipeline.run,
      retryDelays: pipeline.retryDelays,
      report: (queue, outcome) => this.stats.consumed(queue, outcome),
    });
    this.consumers.set(spec.queue, consumer);
    try {
      await consumer.start();
    } catch (err) {
      this.consumers.delete(spec.queue);
      await consumer.stop(0);
      throw err;
    }
    this.logger.log(`${spec.handlerName} consumes ${spec.type} from ${spec.queue}`);
    if (request.options.useCache) await this.catchUp(consumer);
    return {
      queue: spec.queue,
      unsubscribe: async () => {
        if (this.consumers.get(spec.queue) !== consumer) return;
        this.consumers.delete(spec.queue);
        await consumer.stop(this.options.shutdownTimeout);
      },
    };
  }

  /** `useCache`: hands the subscription the cached latest events of its type first (docs/semantics.md §9). */
  private async catchUp(consumer: ConsumerHandle): Promise<void> {
    try {
      const cached = await this.state.cache.readAll(consumer.spec.type);
      await consumer.catchUp(cached);
    } catch (err) {
      // The queue still delivers every event published from now on; only the head start is lost.
      this.logger.warn(`Could not read cached ${consumer.spec.type} events for ${consumer.spec.queue}: ${(err as Error).message}`);
    }
  }

  /** The subscriptions bound now. */
  inFlight(queue: string): number {
    return this.consumers.get(queue)?.inFlight ?? 0;
  }

  subscriptions(): BoundSubscription[] {
    return [...this.consumers.values()].map((c) => c.spec);
  }

  /** Stops every consumer: no new messages, in-flight handlers finish (bounded). */
  async stopAll(): Promise<void> {
    this.closed = true;
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(consumers.map((c) => c.stop(this.options.shutdownTimeout)));
  }

  private specOf(request: NamedBinding, handler: EventHandler): BoundSubscription {
    const durable = request.options.durable !== false;
    const ordered = request.options.ordered === true || request.options.ordered === 'byKey';
    return {
      type: request.type,
      queue: durable ? request.queue : instanceQueueName(request.queue, this.instanceId),
      deadLetterQueue: deadLetterQueueName(request.queue),
      // Without Redis the ledger is off unless asked for (which the checks above refuse).
      options: this.state.enabled ? request.options : { ...request.options, idempotent: false },
      durable,
      prefetch: ordered ? 1 : (request.options.prefetch ?? this.options.rabbitmq.prefetch),
      handlerName: request.handlerName,
      handler,
    };
  }
}
