import type { MessagePropertyHeaders } from 'amqplib';

/** One failed attempt, as kept in `x-retry-history`. */
export interface RetryHistoryEntry {
  attempt: number;
  error: string;
  timestamp: string;
}

/** Header names of docs/wire-format.md §4 (dead letters) and of retried messages. */
export const FAILURE_HEADERS = {
  error: 'x-error',
  errorName: 'x-error-name',
  retryCount: 'x-retry-count',
  retryHistory: 'x-retry-history',
  originalQueue: 'x-original-queue',
  originalRoutingKey: 'x-original-routing-key',
  failedAt: 'x-failed-at',
  replayCount: 'x-replay-count',
} as const;

/** Retries already made (0 for a first delivery). */
export function retryCountOf(headers: MessagePropertyHeaders | undefined): number {
  const n = Number(headers?.[FAILURE_HEADERS.retryCount]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The history carried by a message; a damaged header counts as none rather than failing the message. */
export function retryHistoryOf(headers: MessagePropertyHeaders | undefined): RetryHistoryEntry[] {
  const raw = headers?.[FAILURE_HEADERS.retryHistory];
  if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return [];
  try {
    const parsed: unknown = JSON.parse(raw.toString());
    return Array.isArray(parsed)
      ? parsed.filter((e): e is RetryHistoryEntry => typeof e === 'object' && e !== null && typeof e.attempt === 'number')
      : [];
  } catch {
    return [];
  }
}

/** A readable one-line description of anything thrown. */
export function describeError(error: unknown): { message: string; name: string } {
  if (error instanceof Error) return { message: error.message || error.name, name: error.name };
  return { message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)), name: 'Error' };
}

/** Headers that describe a failure that replaying wipes out (the history stays). */
const CLEARED_ON_REPLAY: readonly string[] = [
  FAILURE_HEADERS.error,
  FAILURE_HEADERS.errorName,
  FAILURE_HEADERS.retryCount,
  FAILURE_HEADERS.failedAt,
  FAILURE_HEADERS.originalQueue,
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
];

/**
 * Headers of a dead letter sent back to its queue: the failure's own headers cleared (so its
 * retries start over), the history kept, `x-replay-count` set.
 */
export function replayHeaders(headers: MessagePropertyHeaders | undefined, replayCount: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...headers, [FAILURE_HEADERS.replayCount]: replayCount };
  for (const key of CLEARED_ON_REPLAY) delete out[key];
  return out;
}
