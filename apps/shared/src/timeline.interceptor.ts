import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { EventContext, EventEnvelope } from 'nestjs-event-bus';
import { Observable, tap } from 'rxjs';
import { writeTimeline } from './timeline';

/**
 * Writes one timeline line per handler call (event, correlation id, attempt, outcome), so
 * the demo can show what each service did. Added to every handler through the module's
 * `interceptors` option.
 */
@Injectable()
export class TimelineInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const [event, ctx] = context.getArgs<[EventEnvelope, EventContext]>();
    const base = { event: event.type, eventId: event.id, correlationId: event.metadata.correlationId, attempt: ctx.attempt };
    return next.handle().pipe(
      tap({
        complete: () => writeTimeline({ ...base, outcome: 'handled' }),
        error: (err: Error) => writeTimeline({ ...base, outcome: 'failed', detail: err.message }),
      }),
    );
  }
}
