import type { ValidationError } from 'class-validator';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';

/** class-transformer and class-validator, loaded on the first validation. */
interface Validators {
  plainToInstance: (typeof import('class-transformer'))['plainToInstance'];
  validate: (typeof import('class-validator'))['validate'];
}

let validators: Promise<Validators> | undefined;

/**
 * Loaded on first use rather than at import: together they are about 300 modules and 4 MB of
 * memory, which a service that declares no DTO never needs (the DTOs' own decorators load
 * class-validator first anyway, and both resolve to the same module instance).
 */
function loadValidators(): Promise<Validators> {
  validators ??= Promise.all([import('class-transformer'), import('class-validator')]).then(([transformer, validator]) => ({
    plainToInstance: transformer.plainToInstance,
    validate: validator.validate,
  }));
  return validators;
}

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
  const { plainToInstance, validate } = await loadValidators();
  // class-transformer types its constructor parameter as any[]: the cast only widens ours.
  const instance = plainToInstance(schema as new () => object, data) as object;
  const errors = await validate(instance, { forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: flatten(errors) };
}
