import type { DeadLetter } from '../dead-letters/dead-letter.interface';

/** A dead letter as the library writes one, with `overrides`. */
export function deadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    eventId: 'evt-1',
    type: 'ORDER_PLACED',
    error: 'db down',
    errorName: 'Error',
    attempts: 4,
    failedAt: '2024-05-01T12:00:00.000Z',
    correlationId: 'corr-1',
    originalQueue: 'orders.ORDER_PLACED',
    replayCount: 0,
    history: [],
    body: '{}',
    headers: {},
    properties: {},
    ...overrides,
  };
}
