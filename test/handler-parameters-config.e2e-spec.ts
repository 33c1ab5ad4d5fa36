import { Injectable, UsePipes, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import type { GetMessage } from 'amqplib';
import { EventPayload, OnEvent, UnsupportedHandlerError, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { deleteTestKeys, SignUpDto } from './fixtures/handler-fixtures';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

const headersOf = (message: GetMessage): Record<string, unknown> => message.properties.headers ?? {};

/** Handlers of the global-pipe apps: the same DTO, no pipe of their own. */
@Injectable()
class GlobalPipeHandlers {
  readonly seen: unknown[] = [];

  @OnEvent('GLOBAL')
  onGlobal(@EventPayload() dto: SignUpDto): void {
    this.seen.push(dto instanceof SignUpDto ? 'dto' : dto);
  }
}

describe('global pipes on event handlers', () => {
  const topology = uniqueTopology('gpipes');
  const names = { on: uniqueName('gpipes-on'), off: uniqueName('gpipes-off') };
  const globalPipe = { provide: APP_PIPE, useValue: new ValidationPipe({ transform: true }) };
  let raw: RawAmqp;
  const services: TestService[] = [];

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await raw.cleanupTopology(topology, [`${names.on}.GLOBAL`, `${names.off}.GLOBAL`]);
    await raw.close();
    await deleteTestKeys(topology.keyPrefix);
  });

  it('run on decorated parameters only with useGlobalPipes: true', async () => {
    const on = await startService(testOptions(names.on, topology, { useGlobalPipes: true }), {
      providers: [GlobalPipeHandlers, globalPipe],
    });
    services.push(on);
    const off = await startService(testOptions(names.off, topology), { providers: [GlobalPipeHandlers, globalPipe] });
    services.push(off);

    await on.bus.publish({ type: 'GLOBAL', data: { email: 'ada@example.org', age: 36 } });
    await on.bus.publish({ type: 'GLOBAL', data: { email: 'nope', age: 1 } });
    const offSeen = off.app.get(GlobalPipeHandlers).seen;
    await waitFor(() => offSeen.length === 2, { message: 'both events at the service without global pipes' });
    // Without the option, the global ValidationPipe neither transforms nor refuses.
    expect(offSeen).toEqual([
      { email: 'ada@example.org', age: 36 },
      { email: 'nope', age: 1 },
    ]);

    const dead = await raw.nextMessage(`${names.on}.GLOBAL.dlq`);
    expect(headersOf(dead)['x-error']).toBe('Pipe rejected @EventPayload(): email must be an email');
    expect(on.app.get(GlobalPipeHandlers).seen).toEqual(['dto']);
  });

  it('refuses a useGlobalPipes option that is not a boolean, naming it', async () => {
    await expect(startService(testOptions(uniqueName('gpipes-bad'), topology, { useGlobalPipes: 'yes' as never }))).rejects.toThrow(
      /useGlobalPipes: must be one of true, false/,
    );
  });
});

@Injectable()
class PipesWithoutParams {
  @OnEvent('NOTHING_TO_PIPE')
  @UsePipes(new ValidationPipe())
  handle(event: EventEnvelope): void {
    void event;
  }
}

@Injectable()
class HalfDecorated {
  @OnEvent('HALF')
  handle(@EventPayload() data: unknown, ctx: EventContext): void {
    void data;
    void ctx;
  }
}

describe('handler parameter declarations refused at bootstrap', () => {
  const topology = uniqueTopology('badparams');

  afterAll(async () => {
    const raw = await RawAmqp.connect();
    await raw.cleanup({ exchanges: [topology.exchange, topology.deadLetterExchange] });
    await raw.close();
  });

  it('names every handler whose pipes or parameters would silently do nothing', async () => {
    const start = startService(testOptions(uniqueName('badparams'), topology), { providers: [PipesWithoutParams, HalfDecorated] });
    await expect(start).rejects.toThrow(UnsupportedHandlerError);
    await expect(start).rejects.toThrow(/PipesWithoutParams\.handle: @UsePipes has nothing to transform/);
    await expect(start).rejects.toThrow(/HalfDecorated\.handle: parameter 1 has no decorator/);
  });
});
