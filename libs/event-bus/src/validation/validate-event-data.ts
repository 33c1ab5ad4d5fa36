import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';

/** Result of checking event data against its DTO. */
export type DataValidation = { ok: true; value: object } | { ok: false; problems: string[] };

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (parent ? `${parent}.${m}` : m));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Transforms `data` into an instance of `schema` (class-transformer) and validates it
 * (class-validator). Non-object data is a problem in itself: DTOs describe objects.
 */
export async function validateEventData(schema: ClassConstructor, data: unknown): Promise<DataValidation> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [`data must be an object matching ${schema.name}`] };
  }
  if (Buffer.isBuffer(data)) {
    // Binary data (a non-JSON body, `data_base64`) can never be a DTO instance.
    return { ok: false, problems: [`data is binary and cannot match ${schema.name}; subscribe to binary events without a schema`] };
  }
  // class-transformer types its constructor parameter as any[]: the cast only widens ours.
  const instance = plainToInstance(schema as new () => object, data) as object;
  const errors = await validate(instance, { forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: flatten(errors) };
}
