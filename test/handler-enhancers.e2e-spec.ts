import {
  Controller,
  ForbiddenException,
  Injectable,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs/operators';
import { EVENT_BUS_CONTEXT_TYPE, OnEvent, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const calls: string[] = [];

/** A typical HTTP auth guard: it reads a header and throws without one. */
@Injectable()
class HttpAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    if (!request.headers?.authorization) throw new ForbiddenException('no token');
    return true;
  }
}

/** Added to every handler through the module's `interceptors` option. */
@Injectable()
class TimingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const [event] = context.getArgs<[EventEnvelope]>();
    calls.push(`module-interceptor:${context.getType()}:${event.type}`);
    return next.handle().pipe(tap(() => calls.push(`module-interceptor-after:${event.type}`)));
  }
}

@Injectable()
class MethodInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    calls.push(`method-interceptor:${context.getHandler().name}`);
    return next.handle();
  }
}

/** Lets events through only from the auth service. */
@Injectable()
class SourceGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const [event, ctx] = context.getArgs<[EventEnvelope, EventContext]>();
    calls.push(`guard:${ctx.queue.endsWith('.GUARDED')}`);
    return event.data !== 'blocked';
  }
}

@Injectable()
class Handlers {
  @UseInterceptors(MethodInterceptor)
  @OnEvent('INTERCEPTED')
  intercepted(event: EventEnvelope<string>): void {
    calls.push(`handler:intercepted:${event.data}`);
  }

  @UseGuards(SourceGuard)
  @OnEvent('GUARDED')
  guarded(event: EventEnvelope<string>): void {
    calls.push(`handler:guarded:${event.data}`);
  }

  @OnEvent('FIRST')
  @OnEvent('SECOND')
  stacked(event: EventEnvelope<string>): void {
    calls.push(`handler:stacked:${event.type}`);
  }

  @OnEvent('SHARED')
  sharedA(): void {
    calls.push('handler:sharedA');
  }

  @OnEvent('SHARED')
  sharedB(): void {
    calls.push('handler:sharedB');
  }
}

@Controller()
class EventsController {
  @OnEvent('FROM_CONTROLLER')
  onEvent(event: EventEnvelope<string>): void {
    calls.push(`controller:${event.data}`);
  }
}

describe('@OnEvent handlers with Nest enhancers', () => {
  const topology = uniqueTopology('enh');
  const serviceName = uniqueName('enh');
  let service: TestService;

  beforeAll(async () => {
    service = await startService(testOptions(serviceName, topology, { interceptors: [TimingInterceptor] }), {
      providers: [Handlers, MethodInterceptor, SourceGuard, { provide: APP_GUARD, useClass: HttpAuthGuard }],
      controllers: [EventsController],
    });
  });

  afterAll(async () => {
    await service.close();
    const raw = await RawAmqp.connect();
    const types = ['INTERCEPTED', 'GUARDED', 'FIRST', 'SECOND', 'FROM_CONTROLLER'];
    const queues = [
      ...types.map((t) => `${serviceName}.${t}`),
      `${serviceName}.SHARED.Handlers.sharedA`,
      `${serviceName}.SHARED.Handlers.sharedB`,
    ];
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  it('runs module interceptors and @UseInterceptors around the handler, in an event-bus context, despite a global HTTP guard', async () => {
    await service.bus.publish({ type: 'INTERCEPTED', data: 'x' });
    await waitFor(() => calls.includes('module-interceptor-after:INTERCEPTED'), { message: 'the interceptor chain' });
    expect(EVENT_BUS_CONTEXT_TYPE).toBe('event-bus');
    expect(calls).toEqual([
      'module-interceptor:event-bus:INTERCEPTED',
      'method-interceptor:intercepted',
      'handler:intercepted:x',
      'module-interceptor-after:INTERCEPTED',
    ]);
  });

  it('applies @UseGuards: a denied event does not reach the handler', async () => {
    await service.bus.publish({ type: 'GUARDED', data: 'blocked' });
    await service.bus.publish({ type: 'GUARDED', data: 'allowed' });
    await waitFor(() => calls.includes('handler:guarded:allowed'), { message: 'the allowed event' });
    expect(calls).not.toContain('handler:guarded:blocked');
    expect(calls.filter((c) => c === 'guard:true')).toHaveLength(2);
    // Refused, not lost: it waits in the dead-letter queue.
    const raw = await RawAmqp.connect();
    try {
      await waitFor(async () => (await raw.depth(`${serviceName}.GUARDED.dlq`)) === 1, { message: 'the refused event in the DLQ' });
    } finally {
      await raw.close();
    }
  });

  it('binds stacked decorators, controller methods, and one queue per method for a shared type', async () => {
    await service.bus.publish({ type: 'FIRST', data: '' });
    await service.bus.publish({ type: 'SECOND', data: '' });
    await service.bus.publish({ type: 'FROM_CONTROLLER', data: 'c' });
    await service.bus.publish({ type: 'SHARED', data: '' });
    await waitFor(
      () =>
        ['handler:stacked:FIRST', 'handler:stacked:SECOND', 'controller:c', 'handler:sharedA', 'handler:sharedB'].every((c) =>
          calls.includes(c),
        ),
      { message: 'every binding to fire' },
    );
    const raw = await RawAmqp.connect();
    try {
      for (const q of [
        `${serviceName}.SHARED.Handlers.sharedA`,
        `${serviceName}.SHARED.Handlers.sharedB`,
        `${serviceName}.FIRST`,
        `${serviceName}.SECOND`,
      ]) {
        await expect(raw.channel.checkQueue(q)).resolves.toMatchObject({ queue: q });
      }
    } finally {
      await raw.close();
    }
  });
});
