import type { Type } from '@nestjs/common';
import type { IEvent, IEventPublisher } from '@nestjs/cqrs';
import { instanceToPlain } from 'class-transformer';

/** Where a bridged event goes out: the bus's `publish`, resolving once the broker confirmed it. */
export type SendBridgedEvent = (type: string, data: unknown) => Promise<unknown>;

/** Logs a failed send nobody awaited (`AggregateRoot.commit()` does not await its publishes). */
export type ReportSendFailure = (type: string, error: unknown) => void;

/**
 * The CQRS `EventBus` publisher while the bridge is on: events of a bridged class go to the
 * bus instead of the in-process subject; every other event, and every bridged event that
 * came from the broker (marked in `fromBroker`), goes to the publisher it replaced. The mark
 * is what keeps a consumed event from being published again, so no event loops.
 */
export class BridgedEventPublisher implements IEventPublisher<IEvent> {
  constructor(
    private readonly inner: IEventPublisher<IEvent>,
    private readonly types: ReadonlyMap<Type<IEvent>, string>,
    private readonly fromBroker: WeakSet<object>,
    private readonly send: SendBridgedEvent,
    private readonly reportFailure: ReportSendFailure,
  ) {}

  publish<TEvent extends IEvent>(event: TEvent, dispatcherContext?: unknown, asyncContext?: never): unknown {
    const type = this.outgoingType(event);
    if (type === undefined) return this.inner.publish(event, dispatcherContext, asyncContext);
    return this.sendOut(type, event);
  }

  publishAll<TEvent extends IEvent>(events: TEvent[], dispatcherContext?: unknown, asyncContext?: never): unknown {
    const local = events.filter((e) => this.outgoingType(e) === undefined);
    const sent = events.flatMap((e) => {
      const type = this.outgoingType(e);
      return type === undefined ? [] : [this.sendOut(type, e)];
    });
    let localResult: unknown;
    if (local.length > 0) {
      localResult = this.inner.publishAll
        ? this.inner.publishAll(local, dispatcherContext, asyncContext)
        : local.map((e) => this.inner.publish(e, dispatcherContext, asyncContext));
    }
    return sent.length > 0 ? Promise.all(sent).then(() => localResult) : localResult;
  }

  /** The bus type of an event this publisher must send out, or undefined to keep it in process. */
  private outgoingType(event: IEvent): string | undefined {
    if (event === null || typeof event !== 'object' || this.fromBroker.has(event)) return undefined;
    return this.types.get((event as object).constructor as Type<IEvent>);
  }

  /**
   * Sends and returns the confirmation; a failure also reaches the log, since callers such as
   * `AggregateRoot.commit()` drop the promise (and an unawaited rejection would end the process).
   */
  private sendOut(type: string, event: IEvent): Promise<unknown> {
    const sent = this.send(type, instanceToPlain(event));
    sent.catch((error: unknown) => this.reportFailure(type, error));
    return sent;
  }
}
