/** class-validator-jsonschema, loaded when a document is built (it pulls in class-validator whole). */
function jsonSchemaConverter(): (typeof import('class-validator-jsonschema'))['validationMetadatasToSchemas'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('class-validator-jsonschema') as typeof import('class-validator-jsonschema')).validationMetadatasToSchemas;
}

/** A JSON Schema object, as class-validator-jsonschema produces it. */
export type JsonSchema = Record<string, unknown>;

/** Where schemas of DTO classes live in the document; `$ref`s between DTOs point there. */
export const SCHEMA_POINTER_PREFIX = '#/components/schemas/';

/**
 * class-transformer's metadata (`@Type(() => Nested)`), so nested DTOs get a `$ref` instead of
 * a bare object. Loaded lazily: it is a peer dependency and its storage path is not public API.
 */
function classTransformerStorage(): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('class-transformer/cjs/storage') as { defaultMetadataStorage: unknown }).defaultMetadataStorage;
  } catch {
    return undefined;
  }
}

/**
 * JSON Schemas of `dtos` from their class-validator decorators (class-validator-jsonschema),
 * plus every DTO they reference through `$ref`, keyed by class name. The conversion reads all
 * class-validator metadata of the process, so only what the given classes reach is kept.
 */
export function dtoSchemas(dtos: readonly (new (...args: never[]) => object)[]): Record<string, JsonSchema> {
  if (dtos.length === 0) return {};
  const all = jsonSchemaConverter()({
    refPointerPrefix: SCHEMA_POINTER_PREFIX,
    classTransformerMetadataStorage: classTransformerStorage() as never,
  }) as Record<string, JsonSchema>;
  const out: Record<string, JsonSchema> = {};
  const visit = (name: string): void => {
    if (name in out) return;
    // A DTO without a single class-validator decorator has no metadata: an open object.
    out[name] = all[name] ?? { type: 'object' };
    for (const ref of referencesIn(out[name])) visit(ref);
  };
  for (const dto of dtos) visit(dto.name);
  return out;
}

/** Class names referenced by `$ref` anywhere in a schema. */
function referencesIn(schema: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_POINTER_PREFIX)) {
          found.push(value.slice(SCHEMA_POINTER_PREFIX.length));
        } else walk(value);
      }
    }
  };
  walk(schema);
  return found;
}
