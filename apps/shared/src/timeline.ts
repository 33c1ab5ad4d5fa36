/** One thing a sample service did, as the demo prints it. */
export interface TimelineEntry {
  event: string;
  eventId?: string;
  correlationId?: string;
  attempt?: number;
  outcome: string;
  detail?: string;
}

/** Prefix of timeline lines on a service's standard output. */
export const TIMELINE_PREFIX = 'timeline ';

/** Writes a timeline line: `timeline {json}` with the time and the service's name. */
export function writeTimeline(entry: TimelineEntry): void {
  const line = { at: new Date().toISOString(), service: process.env.SERVICE_NAME, ...entry };
  process.stdout.write(`${TIMELINE_PREFIX}${JSON.stringify(line)}\n`);
}
