import type { EventHandler, SubscribeOptions } from '../interfaces/subscribe-options.interface';

/** Everything the consumer needs to know about one handler binding. */
export interface BoundSubscription {
  /** Event type (routing key). */
  readonly type: string;
  /** Queue consumed from (for a private queue, the per-instance name). */
  readonly queue: string;
  /** Queue that keeps its dead letters. */
  readonly deadLetterQueue: string;
  /** Options as given, for the stages that read them. */
  readonly options: Readonly<SubscribeOptions>;
  /** Durable named queue (true) or private per-instance queue (false). */
  readonly durable: boolean;
  /** Effective prefetch. */
  readonly prefetch: number;
  /** Human name of the handler, for logs and errors (`Class.method`). */
  readonly handlerName: string;
  /** The handler, wrapped with Nest enhancers where it is a decorated method. */
  readonly handler: EventHandler;
}
