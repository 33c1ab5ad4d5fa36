import { UndecodableMessageError } from '../../errors/undecodable-message.error';
import { DecodeFailure, decodeEvent } from '../../wire/event-decoder';
import type { ConsumeInterceptor, InboundEvent, NextStage } from '../consume-interceptor.interface';

/** Options of the decode stage. */
export interface DecodeInterceptorOptions {
  /** Largest body accepted, in bytes. */
  maxMessageBytes: number;
}

/**
 * Turns the AMQP message into an envelope. Anything unreadable fails with
 * `UndecodableMessageError`, which is non-retryable: the same bytes would fail again.
 */
export class DecodeInterceptor implements ConsumeInterceptor {
  constructor(private readonly options: DecodeInterceptorOptions) {
    if (!(options.maxMessageBytes > 0)) throw new Error('DecodeInterceptor: maxMessageBytes must be > 0');
  }

  intercept(event: InboundEvent, next: NextStage): Promise<void> {
    const size = event.message.content.length;
    if (size > this.options.maxMessageBytes) {
      throw new UndecodableMessageError(
        `body of ${size} bytes exceeds the ${this.options.maxMessageBytes}-byte limit`,
        event.subscription.queue,
      );
    }
    const decoded = decodeEvent(event.message);
    if (decoded instanceof DecodeFailure) throw new UndecodableMessageError(decoded.reason, event.subscription.queue);
    event.envelope = decoded;
    return next();
  }
}
