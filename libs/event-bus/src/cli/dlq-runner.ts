import type { DeadLetterService } from '../dead-letters/dead-letter.service';
import { formatDeadLetterDetails } from './dead-letter-details';
import { formatDeadLetterTable } from './dead-letter-table';
import type { DlqCommand } from './dlq-arguments';
import { findDeadLetter, SHOW_SCAN_DEFAULT } from './find-dead-letter';

/** The dead-letter operations a command uses (`DeadLetterService`, or a stand-in in tests). */
export type DeadLetterOperations = Pick<DeadLetterService, 'list' | 'count' | 'replay' | 'purge'>;

/** Asks the user a yes/no question; resolves `true` only for yes. */
export type Confirm = (question: string) => Promise<boolean>;

/** What a command produced: text or one JSON document for stdout, warning lines for stderr, the exit code. */
export interface DlqOutcome {
  /** Without a trailing newline; empty when there is nothing to print. */
  stdout: string;
  warnings: string[];
  exitCode: 0 | 1;
}

const json = (document: object) => JSON.stringify(document, null, 2);
const done = (stdout: string): DlqOutcome => ({ stdout, warnings: [], exitCode: 0 });
const notFound = (queue: string, ids: readonly string[]) => `warning: no dead letter in ${queue} with id ${ids.join(', ')}`;

async function replay(command: Extract<DlqCommand, { action: 'replay' }>, deadLetters: DeadLetterOperations): Promise<DlqOutcome> {
  const { queue, ids, limit } = command;
  const result = await deadLetters.replay(queue, { limit, ids: ids.length > 0 ? ids : undefined });
  // The store goes through the whole DLQ unless the limit stopped it; only then is an id it did not meet known to be missing.
  const wentThroughAll = limit === undefined || result.replayed.length < limit;
  const met = new Set([...result.replayed, ...result.skipped.map((s) => s.eventId)]);
  const missing = wentThroughAll ? ids.filter((id) => !met.has(id)) : [];
  const text = [`replayed ${result.replayed.length} dead letter(s) from ${queue}`, ...result.replayed.map((id) => `  ${id}`)];
  for (const s of result.skipped) text.push(`skipped ${s.eventId}: queue ${s.originalQueue} does not exist`);
  return {
    stdout: command.json ? json({ queue, replayed: result.replayed, skipped: result.skipped, notFound: missing }) : text.join('\n'),
    warnings: missing.length > 0 ? [notFound(queue, missing)] : [],
    exitCode: missing.length > 0 ? 1 : 0,
  };
}

async function show(command: Extract<DlqCommand, { action: 'show' }>, deadLetters: DeadLetterOperations): Promise<DlqOutcome> {
  const { queue, id, limit = SHOW_SCAN_DEFAULT } = command;
  const { letter, truncated } = await findDeadLetter(deadLetters, queue, id, limit);
  if (!letter) {
    const further = truncated ? ` among the oldest ${limit} (raise --limit to look further)` : '';
    return { stdout: '', warnings: [`${notFound(queue, [id])}${further}`], exitCode: 1 };
  }
  return done(command.json ? json({ queue, deadLetter: letter }) : formatDeadLetterDetails(letter));
}

async function purge(
  command: Extract<DlqCommand, { action: 'purge' }>,
  deadLetters: DeadLetterOperations,
  confirm: Confirm,
): Promise<DlqOutcome> {
  const { queue } = command;
  if (!command.yes) {
    const waiting = await deadLetters.count(queue);
    if (!(await confirm(`Delete every dead letter of ${queue} (${waiting} now)? [y/N] `))) {
      return { stdout: '', warnings: ['purge cancelled; nothing was deleted'], exitCode: 1 };
    }
  }
  const purged = await deadLetters.purge(queue);
  return done(command.json ? json({ queue, purged }) : `purged ${purged} dead letter(s) from ${queue}`);
}

/**
 * Runs a parsed command. `confirm` is asked before a purge without `--yes` (the caller has
 * already refused that when nobody can answer). Failures of the broker are thrown.
 */
export async function runDlqCommand(command: DlqCommand, deadLetters: DeadLetterOperations, confirm: Confirm): Promise<DlqOutcome> {
  const { queue } = command;
  switch (command.action) {
    case 'list': {
      const letters = await deadLetters.list(queue, { limit: command.limit });
      return done(command.json ? json({ queue, deadLetters: letters }) : formatDeadLetterTable(letters));
    }
    case 'count': {
      const count = await deadLetters.count(queue);
      return done(command.json ? json({ queue, count }) : `${count} dead letter(s) in ${queue}`);
    }
    case 'show':
      return show(command, deadLetters);
    case 'replay':
      return replay(command, deadLetters);
    case 'purge':
      return purge(command, deadLetters, confirm);
  }
}
