import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import { InvalidEventError } from '../errors/invalid-event.error';
import { EventBus } from '../event-bus.service';
import { EventBusTestHarness, EventBusTestingModule } from '../testing';

class NoteDto {
  @IsString()
  text!: string;
}

/** The publish path's refusals, over the in-memory transport: nothing refused is ever sent. */
describe('EventPublisher refusals', () => {
  let app: INestApplication;
  let bus: EventBus;
  let harness: EventBusTestHarness;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventBusTestingModule.forRoot({ serviceName: 'notes', schemas: { NOTE_ADDED: NoteDto }, maxMessageBytes: 2_048 })],
    }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    bus = app.get(EventBus);
    harness = app.get(EventBusTestHarness);
  });

  afterEach(() => app.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => err,
    );

  it('refuses data that fails the DTO, naming the problem', async () => {
    const error = await refusal(bus.publish({ type: 'NOTE_ADDED', data: { text: 42 } }));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/text must be a string/);
  });

  it('refuses cyclic data of a type with a DTO with InvalidEventError, not a stack overflow', async () => {
    const data: Record<string, unknown> = { text: 'loop' };
    data.self = data;
    const error = await refusal(bus.publish({ type: 'NOTE_ADDED', data }));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/JSON-serialisable/);
  });

  it('refuses cyclic data of a type without a DTO at the encode step', async () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    const error = await refusal(bus.publish({ type: 'OTHER', data }));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/not JSON-serialisable/);
  });

  it('refuses prototype-polluting keys and events over maxMessageBytes', async () => {
    const polluted = await refusal(bus.publish({ type: 'OTHER', data: JSON.parse('{"__proto__":{"admin":true}}') }));
    expect((polluted as Error).message).toMatch(/__proto__ or constructor.prototype/);
    const big = await refusal(bus.publish({ type: 'OTHER', data: 'x'.repeat(4_000) }));
    expect((big as Error).message).toMatch(/over the 2048-byte limit \(maxMessageBytes\)/);
  });

  it('does not mistake an event type named like an Object.prototype member for one with a DTO', async () => {
    await expect(bus.publish({ type: 'constructor', data: { any: 'thing' } })).resolves.toMatchObject({ type: 'constructor' });
  });

  it('sent nothing that was refused, and records what a consumer would read', async () => {
    await refusal(bus.publish({ type: 'NOTE_ADDED', data: { text: 1 } }));
    await bus.publish({ type: 'OTHER', data: { at: new Date(0), gone: undefined } });
    expect(harness.published.map((e) => [e.type, e.data])).toEqual([['OTHER', { at: '1970-01-01T00:00:00.000Z' }]]);
  });
});
