import 'reflect-metadata';
import type { ConsumeMessage } from 'amqplib';
import { Type } from 'class-transformer';
import { IsEmail, IsString, ValidateNested } from 'class-validator';
import { NonRetryableError } from '../../errors/non-retryable.error';
import { ValidationFailedError } from '../../errors/validation-failed.error';
import type { EventEnvelope } from '../../interfaces/event-envelope.interface';
import type { ClassConstructor } from '../../interfaces/subscribe-options.interface';
import type { InboundEvent } from '../consume-interceptor.interface';
import type { BoundSubscription } from '../bound-subscription';
import { ValidationInterceptor } from './validation.interceptor';

class Address {
  @IsString()
  city!: string;
}

class UserCreated {
  @IsString()
  name!: string;

  @IsEmail()
  email!: string;

  @ValidateNested()
  @Type(() => Address)
  address!: Address;
}

const METADATA = {
  correlationId: 'corr-1',
  source: 'users',
  timestamp: '2024-05-01T12:00:00.000Z',
  version: '1.0.0',
  schemaVersion: '1.0',
};

function inbound(data: unknown, withEnvelope = true): InboundEvent {
  const envelope: EventEnvelope = { id: 'evt-1', type: 'USER_CREATED', data, metadata: METADATA };
  return {
    message: { content: Buffer.from('{}'), fields: {}, properties: { headers: {} } } as unknown as ConsumeMessage,
    subscription: { queue: 'svc.USER_CREATED', type: 'USER_CREATED' } as unknown as BoundSubscription,
    context: { attempt: 1, queue: 'svc.USER_CREATED', redelivered: false },
    history: [],
    historyStart: 0,
    signal: new AbortController().signal,
    envelope: withEnvelope ? envelope : undefined,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ValidationFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  return error as ValidationFailedError;
}

describe('ValidationInterceptor', () => {
  const interceptor = new ValidationInterceptor({ schema: UserCreated });

  it('requires a class as schema', () => {
    expect(() => new ValidationInterceptor({ schema: {} as unknown as ClassConstructor })).toThrow('schema must be a class');
  });

  it('calls next with the data turned into an instance of the DTO', async () => {
    const event = inbound({ name: 'Ada', email: 'ada@example.com', address: { city: 'London' } });
    const seen: unknown[] = [];
    const next = jest.fn(async () => {
      seen.push(event.envelope?.data);
    });

    await interceptor.intercept(event, next);

    expect(next).toHaveBeenCalledTimes(1);
    expect(seen[0]).toBeInstanceOf(UserCreated);
    expect(event.envelope?.data).toBeInstanceOf(UserCreated);
    expect((event.envelope?.data as UserCreated).address).toBeInstanceOf(Address);
    expect(event.envelope).toEqual(expect.objectContaining({ id: 'evt-1', type: 'USER_CREATED', metadata: METADATA }));
    expect(event.envelope?.data).toEqual(expect.objectContaining({ name: 'Ada', email: 'ada@example.com' }));
  });

  it("passes next's outcome through", async () => {
    const failure = new Error('handler failed');
    await expect(
      interceptor.intercept(
        inbound({ name: 'Ada', email: 'ada@example.com', address: { city: 'London' } }),
        jest.fn().mockRejectedValue(failure),
      ),
    ).rejects.toBe(failure);
  });

  it('fails invalid data with a non-retryable ValidationFailedError listing every problem, without calling next', async () => {
    const next = jest.fn();
    const event = inbound({ name: 1, email: 'nope', address: { city: false } });

    const error = await failureOf(interceptor.intercept(event, next));

    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.eventType).toBe('USER_CREATED');
    expect(error.problems).toEqual(['name must be a string', 'email must be an email', 'address.city must be a string']);
    expect(error.message).toBe('Invalid USER_CREATED data: name must be a string; email must be an email; address.city must be a string');
    expect(next).not.toHaveBeenCalled();
    expect(event.envelope?.data).toEqual({ name: 1, email: 'nope', address: { city: false } });
  });

  it.each([
    ['a string', 'hello'],
    ['an array', [{ name: 'Ada' }]],
    ['null', null],
  ])('fails %s as data with "data must be an object matching UserCreated"', async (_label, data) => {
    const next = jest.fn();

    const error = await failureOf(interceptor.intercept(inbound(data), next));

    expect(error.problems).toEqual(['data must be an object matching UserCreated']);
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses to run before the decode stage', async () => {
    const next = jest.fn();
    await expect(interceptor.intercept(inbound(undefined, false), next)).rejects.toThrow('decode stage must run first');
    expect(next).not.toHaveBeenCalled();
  });
});
