import type { PublishableEvent } from '../interfaces/event-envelope.interface';
import { eventTypeProblem } from '../topology/queue-naming';

const isShortString = (v: unknown): boolean => typeof v === 'string' && v.length > 0 && v.length <= 255;

/** Every reason `event` cannot be published as given (empty when it can). */
export function publishableEventProblems(event: unknown): string[] {
  if (typeof event !== 'object' || event === null) return ['event must be an object with type and data'];
  const e = event as Partial<PublishableEvent> & Record<string, unknown>;
  const problems: string[] = [];
  const typeProblem = eventTypeProblem(e.type);
  if (typeProblem) problems.push(typeProblem);
  if (!('data' in e) || e.data === undefined) problems.push('data is required (use null for no payload)');
  if (e.id !== undefined && !isShortString(e.id)) problems.push('id must be a non-empty string of at most 255 characters');
  if (e.key !== undefined && !isShortString(e.key)) problems.push('key must be a non-empty string of at most 255 characters');
  if (e.metadata !== undefined) {
    if (typeof e.metadata !== 'object' || e.metadata === null) problems.push('metadata must be an object');
    else {
      for (const field of ['correlationId', 'causationId', 'version', 'schemaVersion'] as const) {
        const value = e.metadata[field];
        if (value !== undefined && !isShortString(value))
          problems.push(`metadata.${field} must be a non-empty string of at most 255 characters`);
      }
    }
  }
  return problems;
}
