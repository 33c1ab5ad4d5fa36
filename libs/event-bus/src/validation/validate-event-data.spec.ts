import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsEmail, IsString, ValidateNested } from 'class-validator';
import { validateEventData } from './validate-event-data';

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

const VALID = { name: 'Ada', email: 'ada@example.com', address: { city: 'London' } };

describe('validateEventData', () => {
  it('returns an instance of the DTO, nested objects transformed too, for valid data', async () => {
    const result = await validateEventData(UserCreated, VALID);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBeInstanceOf(UserCreated);
    expect((result.value as UserCreated).address).toBeInstanceOf(Address);
    expect(result.value).toEqual(Object.assign(new UserCreated(), { ...VALID, address: Object.assign(new Address(), VALID.address) }));
  });

  it('does not modify the data it was given', async () => {
    const data = { ...VALID, address: { ...VALID.address } };
    await validateEventData(UserCreated, data);
    expect(data).toEqual(VALID);
    expect(data).not.toBeInstanceOf(UserCreated);
  });

  it('lists every problem with the class-validator messages', async () => {
    const result = await validateEventData(UserCreated, { name: 42, email: 'not-an-email', address: { city: 'Paris' } });

    expect(result).toEqual({ ok: false, problems: ['name must be a string', 'email must be an email'] });
  });

  it('prefixes the messages of nested objects with the parent property', async () => {
    const result = await validateEventData(UserCreated, { name: 'Ada', email: 'ada@example.com', address: { city: 7 } });

    expect(result).toEqual({ ok: false, problems: ['address.city must be a string'] });
  });

  it.each([
    ['a string', 'hello'],
    ['an array', [VALID]],
    ['null', null],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s as data', async (_label, data) => {
    expect(await validateEventData(UserCreated, data)).toEqual({ ok: false, problems: ['data must be an object matching UserCreated'] });
  });

  it('refuses binary data (a Buffer) with a reason that says so', async () => {
    const result = await validateEventData(UserCreated, Buffer.from('raw bytes'));
    expect(result).toEqual({
      ok: false,
      problems: ['data is binary and cannot match UserCreated; subscribe to binary events without a schema'],
    });
  });
});
