import type { EventEnvelope } from '../interfaces/event-envelope.interface';

/** The latest-event cache as the bus uses it (Redis in production, memory in tests). */
export interface EventCache {
  /** Stores the envelope as latest of its type (and key) unless a newer one is stored. */
  write(envelope: EventEnvelope): Promise<void>;
  /** Latest of a type, or of one key of it. */
  read<T>(type: string, key?: string): Promise<EventEnvelope<T> | null>;
  /** Every live cached latest event of a type, oldest first. */
  readAll(type: string): Promise<EventEnvelope[]>;
}
