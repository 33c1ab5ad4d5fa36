import { DEFAULT_EVENT_VERSION, DEFAULT_SCHEMA_VERSION } from '../event-bus.constants';
import type { EventEnvelope, EventMetadata } from '../interfaces/event-envelope.interface';

/** CloudEvent attributes by name, read from a structured-mode body or from binary-mode headers. */
export type CloudEventAttributes = Readonly<Record<string, unknown>>;

/** The value types an extension attribute is passed on with. */
export type ExtensionValue = string | number | boolean;

/**
 * Attributes the envelope has a field for (or that hold the data): never extensions. The
 * optional core attributes `subject` and `dataschema` have no field, so they are passed on in
 * `metadata.extensions` like any extension.
 */
const MAPPED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'datacontenttype',
  'data',
  'data_base64',
  'correlationid',
  'causationid',
  'partitionkey',
  'eventversion',
  'schemaversion',
]);

/** CloudEvents attribute names: lower-case ASCII letters and digits only. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

export const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const isExtensionValue = (v: unknown): v is ExtensionValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * The attributes no envelope field takes: extensions such as `traceparent`, plus `subject` and
 * `dataschema`. Names outside the CloudEvents grammar and values that are not a string, number
 * or boolean are left out. Undefined when nothing is left.
 */
export function extensionsOf(attributes: CloudEventAttributes): Record<string, ExtensionValue> | undefined {
  let out: Record<string, ExtensionValue> | undefined;
  for (const name of Object.keys(attributes)) {
    if (MAPPED_ATTRIBUTES.has(name) || !ATTRIBUTE_NAME.test(name)) continue;
    const value = attributes[name];
    if (isExtensionValue(value)) (out ??= {})[name] = value;
  }
  return out;
}

/**
 * The envelope of a CloudEvent whose required attributes were checked already: metadata from
 * our own extension attributes (docs/wire-format.md §1), defaults for the missing ones, and the
 * remaining attributes as `metadata.extensions`.
 */
export function envelopeFromAttributes(
  attributes: CloudEventAttributes,
  required: { id: string; type: string; source: string },
  data: unknown,
): EventEnvelope {
  const { id, type, source } = required;
  const metadata: EventMetadata = {
    correlationId: optionalString(attributes.correlationid) ?? id,
    causationId: optionalString(attributes.causationid),
    source,
    timestamp: optionalString(attributes.time) ?? new Date().toISOString(),
    version: optionalString(attributes.eventversion) ?? DEFAULT_EVENT_VERSION,
    schemaVersion: optionalString(attributes.schemaversion) ?? DEFAULT_SCHEMA_VERSION,
    key: optionalString(attributes.partitionkey),
  };
  const extensions = extensionsOf(attributes);
  if (extensions) metadata.extensions = extensions;
  return { id, type, data, metadata };
}
