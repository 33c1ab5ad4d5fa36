/** Schema names the outbox accepts: unquoted PostgreSQL identifiers, lower case, at most 48 characters. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * The schema name double-quoted for SQL text. Only names matching `SCHEMA_NAME_PATTERN` get
 * here (the module options refuse others), so quoting never has to escape anything.
 * @throws Error for a name outside the pattern, since it would be spliced into SQL text
 */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema)) throw new Error(`Invalid schema name ${JSON.stringify(schema)}: ${SCHEMA_NAME_PATTERN}`);
  return `"${schema}"`;
}

/** The LISTEN/NOTIFY channel on which committed outbox rows wake the relays of one schema. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}
