import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/**
 * An event's identity in the ledger: `<source>:<id>`, since CloudEvents makes `source` + `id`
 * unique, not `id` alone (two producers may both send an event "1"). The source is
 * URI-encoded, so it holds no `:` and the key `processed:<queue>:<source>:<id>` reads one way
 * only (queue names hold no `:` either).
 */
export function ledgerEventKey(envelope: EventEnvelope): string {
  return `${encodeURIComponent(envelope.metadata.source)}:${envelope.id}`;
}
