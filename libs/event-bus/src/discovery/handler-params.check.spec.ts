import { ParseIntPipe, UsePipes, ValidationPipe } from '@nestjs/common';
import { EventCtx } from '../decorators/event-ctx.decorator';
import { EventPayload } from '../decorators/event-payload.decorator';
import { OnEvent } from '../decorators/on-event.decorator';
import { handlerParamProblems } from './handler-params.check';

class Handlers {
  @OnEvent('PLAIN')
  plain(_event: unknown, _ctx: unknown): void {}

  @OnEvent('DECORATED')
  decorated(@EventPayload('n', ParseIntPipe) _n: number, @EventCtx() _ctx: unknown): void {}

  @OnEvent('PIPES_WITHOUT_PARAMS')
  @UsePipes(new ValidationPipe())
  pipesWithoutParams(_event: unknown): void {}

  @OnEvent('HALF')
  half(@EventPayload() _data: unknown, _ctx: unknown): void {}
}

describe('handler parameter checks', () => {
  const handlers = new Handlers();

  it('accepts plain (event, ctx) handlers and fully decorated ones', () => {
    expect(handlerParamProblems(handlers, 'plain')).toEqual([]);
    expect(handlerParamProblems(handlers, 'decorated')).toEqual([]);
  });

  it('refuses @UsePipes on a handler without parameter decorators, naming the handler', () => {
    expect(handlerParamProblems(handlers, 'pipesWithoutParams')).toEqual([
      expect.stringMatching(/^Handlers\.pipesWithoutParams: @UsePipes has nothing to transform/),
    ]);
  });

  it('refuses an undecorated parameter next to decorated ones, naming its position', () => {
    expect(handlerParamProblems(handlers, 'half')).toEqual([expect.stringMatching(/^Handlers\.half: parameter 1 has no decorator/)]);
  });
});
