import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRecord } from './chaos-faults';
import type { LedgerReport } from './chaos-ledger';
import { CHAOS_PROFILE } from './chaos-profile';

/** One row of docs/reliability.md, written as soon as its scenario finishes. */
export interface ScenarioRecord {
  /** Stable key: a later run replaces the row of the same id. */
  id: string;
  title: string;
  profile: string;
  passed: boolean;
  published: number;
  confirmed: number;
  handled: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  unconfirmedDelivered: number;
  /** Publishes that rejected (buffer full, timeout, shutting down) and were never handled. */
  refused: number;
  deadLettered: number;
  faults: FaultRecord[];
  /** ms from the end of publishing until every confirmed event was handled. */
  drainMs: number;
  notes: string[];
  finishedAt: string;
}

/** Builds a record from the ledger's classification. */
export function scenarioRecord(
  base: { id: string; title: string; published: number; faults?: FaultRecord[]; drainMs: number; notes?: string[]; passed?: boolean },
  report: LedgerReport,
  extra: { deadLettered?: number } = {},
): ScenarioRecord {
  const clean = report.lost.length === 0 && report.duplicated.length === 0 && report.unexpected.length === 0;
  return {
    id: base.id,
    title: base.title,
    profile: CHAOS_PROFILE,
    passed: base.passed ?? clean,
    published: base.published,
    confirmed: report.confirmed,
    handled: report.handled,
    lost: report.lost.length,
    duplicated: report.duplicated.length,
    unexpected: report.unexpected.length,
    unconfirmedDelivered: report.unconfirmedDelivered.length,
    refused: report.refused,
    deadLettered: extra.deadLettered ?? report.deadLettered,
    faults: base.faults ?? [],
    drainMs: base.drainMs,
    notes: base.notes ?? [],
    finishedAt: new Date().toISOString(),
  };
}

/** A pass/fail check without an event count (memory bounds, security), one row of its own table. */
export interface CheckRecord {
  id: string;
  kind: 'check';
  title: string;
  profile: string;
  passed: boolean;
  detail: string;
  finishedAt: string;
}

/** Records a check's outcome, with the numbers that decided it. */
export function recordCheck(id: string, title: string, passed: boolean, detail: string): void {
  recordScenario({ id, kind: 'check', title, profile: CHAOS_PROFILE, passed, detail, finishedAt: new Date().toISOString() });
}

/**
 * Writes the record where the chaos run's global teardown collects it (CHAOS_RESULTS_DIR,
 * set by test/chaos/global-setup.js). Run outside that configuration, nothing is written.
 */
export function recordScenario(record: ScenarioRecord | CheckRecord): void {
  const dir = process.env.CHAOS_RESULTS_DIR;
  if (!dir) return;
  writeFileSync(join(dir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
