/**
 * What happened to a delivery, as counted by the bus: `handled` (handler succeeded),
 * `duplicate` (acked without running the handler), `retried` (a retry was scheduled),
 * `dead-lettered`, and `failed` (one failed attempt, whatever follows it).
 */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'retried' | 'dead-lettered' | 'failed';

/** Receives what the bus counts; `EventBusMetrics` is one. */
export interface EventBusStatsListener {
  published?(type: string): void;
  consumed?(queue: string, outcome: ConsumeOutcome): void;
  handlerDuration?(queue: string, seconds: number): void;
}
