import type { ConsumeMessage } from 'amqplib';
import { composeInterceptors } from './compose-interceptors';
import type { ConsumeInterceptor, InboundEvent, NextStage } from './consume-interceptor.interface';
import type { BoundSubscription } from './bound-subscription';

function inbound(): InboundEvent {
  return {
    message: { content: Buffer.from('{}'), fields: {}, properties: {} } as unknown as ConsumeMessage,
    subscription: { queue: 'svc.T', type: 'T' } as unknown as BoundSubscription,
    context: { attempt: 1, queue: 'svc.T', redelivered: false },
    history: [],
    historyStart: 0,
    signal: new AbortController().signal,
  };
}

/** An interceptor that logs before and after `next`. */
function recording(name: string, log: string[]): ConsumeInterceptor {
  return {
    async intercept(_event: InboundEvent, next: NextStage): Promise<void> {
      log.push(`${name}:before`);
      await next();
      log.push(`${name}:after`);
    },
  };
}

describe('composeInterceptors', () => {
  it('runs interceptors in order around the terminal (first listed is outermost)', async () => {
    const log: string[] = [];
    const run = composeInterceptors([recording('a', log), recording('b', log), recording('c', log)], async () => {
      log.push('terminal');
    });

    await run(inbound());

    expect(log).toEqual(['a:before', 'b:before', 'c:before', 'terminal', 'c:after', 'b:after', 'a:after']);
  });

  it('passes the same event object through every stage to the terminal', async () => {
    const seen: InboundEvent[] = [];
    const stamp: ConsumeInterceptor = {
      intercept: (event, next) => {
        seen.push(event);
        event.envelope = { id: 'e', type: 'T', data: 1, metadata: {} as never };
        return next();
      },
    };
    const terminal = jest.fn(async (event: InboundEvent) => {
      seen.push(event);
    });
    const event = inbound();

    await composeInterceptors([stamp], terminal)(event);

    expect(terminal).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([event, event]);
    expect(seen[1]).toBe(event);
    expect(seen[1].envelope?.id).toBe('e');
  });

  it('calls the terminal directly when there is no interceptor', async () => {
    const terminal = jest.fn(async () => undefined);
    const event = inbound();

    await composeInterceptors([], terminal)(event);

    expect(terminal).toHaveBeenCalledWith(event);
  });

  it('lets an interceptor skip next: later stages and the terminal do not run, and it resolves', async () => {
    const log: string[] = [];
    const skip: ConsumeInterceptor = {
      intercept: async () => {
        log.push('skip');
      },
    };
    const terminal = jest.fn(async () => undefined);

    await expect(composeInterceptors([recording('a', log), skip, recording('c', log)], terminal)(inbound())).resolves.toBeUndefined();

    expect(log).toEqual(['a:before', 'skip', 'a:after']);
    expect(terminal).not.toHaveBeenCalled();
  });

  it('turns an error thrown synchronously by an interceptor into a rejection', async () => {
    const boom = new Error('sync boom');
    const throwing: ConsumeInterceptor = {
      intercept: () => {
        throw boom;
      },
    };
    const terminal = jest.fn(async () => undefined);
    const run = composeInterceptors([throwing], terminal);

    let promise: Promise<void> | undefined;
    expect(() => (promise = run(inbound()))).not.toThrow();
    await expect(promise).rejects.toBe(boom);
    expect(terminal).not.toHaveBeenCalled();
  });

  it('turns a synchronous throw of an inner interceptor into a rejection the outer one can observe', async () => {
    const boom = new Error('inner boom');
    const caught: unknown[] = [];
    const outer: ConsumeInterceptor = {
      async intercept(_e, next) {
        try {
          await next();
        } catch (err) {
          caught.push(err);
          throw err;
        }
      },
    };
    const inner: ConsumeInterceptor = {
      intercept: () => {
        throw boom;
      },
    };

    await expect(composeInterceptors([outer, inner], async () => undefined)(inbound())).rejects.toBe(boom);
    expect(caught).toEqual([boom]);
  });

  it('propagates a terminal failure through the stages, which may turn it into success', async () => {
    const boom = new Error('handler failed');
    const swallow: ConsumeInterceptor = {
      async intercept(_e, next) {
        await next().catch(() => undefined);
      },
    };
    const failing = async () => {
      throw boom;
    };

    await expect(composeInterceptors([recording('a', [])], failing)(inbound())).rejects.toBe(boom);
    await expect(composeInterceptors([swallow], failing)(inbound())).resolves.toBeUndefined();
  });

  it('turns a synchronous throw of the terminal into a rejection', async () => {
    const boom = new Error('terminal sync');
    const terminal = (() => {
      throw boom;
    }) as unknown as (event: InboundEvent) => Promise<void>;

    await expect(composeInterceptors([], terminal)(inbound())).rejects.toBe(boom);
  });

  it('can be run again for another event (no state kept between runs)', async () => {
    const log: string[] = [];
    const run = composeInterceptors([recording('a', log)], async () => {
      log.push('t');
    });

    await run(inbound());
    await run(inbound());

    expect(log).toEqual(['a:before', 't', 'a:after', 'a:before', 't', 'a:after']);
  });
});
