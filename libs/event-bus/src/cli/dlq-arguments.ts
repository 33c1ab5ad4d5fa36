import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { formatEnvironmentHelp } from './dlq-environment';
import { DlqUsageError } from './dlq-usage-error';
import { SHOW_SCAN_DEFAULT } from './find-dead-letter';

/** A parsed `event-bus-dlq` command line. */
export type DlqCommand =
  | { action: 'list'; queue: string; limit?: number; json: boolean }
  | { action: 'count'; queue: string; json: boolean }
  | { action: 'show'; queue: string; id: string; limit?: number; json: boolean }
  | { action: 'replay'; queue: string; ids: string[]; limit?: number; json: boolean }
  | { action: 'purge'; queue: string; yes: boolean; json: boolean };

/** How {@link parseDlqArguments} presents itself. */
export interface DlqParseOptions {
  /** Name in usage lines and help (see `programNameOf`). */
  programName: string;
  /** Where `--help` output goes (stdout in the command). */
  writeHelp: (text: string) => void;
}

const QUEUE_HELP = "a handler's queue (orders.ORDER_PLACED) or its dead-letter queue (orders.ORDER_PLACED.dlq)";

/** `--limit` and the like: a whole number >= 1. */
function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('It must be a whole number >= 1.');
  return n;
}

/** A queue name or an event id: anything but blank. */
function nonBlank(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('It must not be empty.');
  return value;
}

/** Repeated `--id`: every value, in order, without repeats. */
function collectIds(value: string, previous: string[] | undefined): string[] {
  const id = nonBlank(value);
  return previous?.includes(id) ? previous : [...(previous ?? []), id];
}

/** One line for stderr from a commander error: its text without `error: `, the usage, and where the help is. */
function usageError(error: CommanderError, programName: string, command: Command): DlqUsageError {
  // Commander answers a missing command, or `help <unknown>`, by showing the help as an error.
  const [first, second] = command.args;
  const problem =
    error.code !== 'commander.help'
      ? error.message.replace(/^error: /, '')
      : first === 'help' && second
        ? `unknown command '${second}'`
        : 'missing command';
  const line = problem
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '');
  const path = command.parent ? `${programName} ${command.name()}` : programName;
  return new DlqUsageError(`${line}; usage: ${path} ${command.usage()}; see '${path} --help'`);
}

/** The commander program; `found` receives the command the arguments describe. */
function buildProgram({ programName, writeHelp }: DlqParseOptions, found: (command: DlqCommand) => void): Command {
  const program = new Command(programName)
    .usage('<command> <queue> [options]')
    .description('Inspect, replay and purge the dead letters of nestjs-event-bus services.')
    // Commander writes nothing to stderr: every error becomes one DlqUsageError line.
    .configureOutput({ writeOut: writeHelp, writeErr: () => undefined, outputError: () => undefined })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  ${programName} list orders.ORDER_PLACED --limit 20`,
        `  ${programName} show orders.ORDER_PLACED <event-id>`,
        `  ${programName} replay orders.ORDER_PLACED --id <event-id> --id <event-id>`,
        `  ${programName} purge orders.ORDER_PLACED --yes`,
      ].join('\n'),
    )
    .addHelpText('afterAll', formatEnvironmentHelp());
  const commands: Command[] = [program];
  const command = (name: string, description: string): Command => {
    const sub = program.command(name).description(description).argument('<queue>', QUEUE_HELP, nonBlank);
    commands.push(sub);
    return sub;
  };
  const json = '--json';
  const jsonHelp = 'print one JSON document instead of text';

  command('list', 'print the oldest dead letters as a table, leaving them in place')
    .option('--limit <n>', 'most dead letters to print (default: 100)', wholeNumber)
    .option(json, jsonHelp)
    .action((queue: string, o: { limit?: number; json?: boolean }) => found({ action: 'list', queue, limit: o.limit, json: !!o.json }));

  command('count', 'print how many dead letters wait')
    .option(json, jsonHelp)
    .action((queue: string, o: { json?: boolean }) => found({ action: 'count', queue, json: !!o.json }));

  command('show', 'print one dead letter in full: error, retry history, headers, properties and body')
    .argument('<id>', 'event id (the EVENT ID column of list)', nonBlank)
    .option('--limit <n>', `how many dead letters to look through, oldest first (default: ${SHOW_SCAN_DEFAULT})`, wholeNumber)
    .option(json, jsonHelp)
    .addHelpText('after', '\nExit code 1 when no dead letter with that id is among those looked through.')
    .action((queue: string, id: string, o: { limit?: number; json?: boolean }) =>
      found({ action: 'show', queue, id, limit: o.limit, json: !!o.json }),
    );

  command('replay', 'send dead letters back to the queue they failed on, oldest first')
    .option('--id <event-id>', 'replay only this event; repeat for several', collectIds)
    .option('--limit <n>', 'most dead letters to replay (default: all)', wholeNumber)
    .option(json, jsonHelp)
    .addHelpText('after', '\nExit code 1 when an --id matches no dead letter; the ids that match are replayed all the same.')
    .action((queue: string, o: { id?: string[]; limit?: number; json?: boolean }) =>
      found({ action: 'replay', queue, ids: o.id ?? [], limit: o.limit, json: !!o.json }),
    );

  command('purge', 'delete every dead letter of the queue')
    .option('-y, --yes', 'delete without asking (required when stdin is not a terminal)')
    .option(json, jsonHelp)
    .addHelpText('after', '\nAsks for confirmation (y/N) when stdin is a terminal; otherwise refuses to run without --yes.')
    .action((queue: string, o: { yes?: boolean; json?: boolean }) => found({ action: 'purge', queue, yes: !!o.yes, json: !!o.json }));

  for (const c of commands) {
    c.exitOverride((error) => {
      // Exit code 0: help was shown; the caller stops there.
      throw error.exitCode === 0 ? error : usageError(error, programName, c);
    });
  }
  return program;
}

/**
 * Parses the arguments after the script name. Returns the command, or `undefined` when help
 * was asked for (and written with `writeHelp`).
 *
 * @throws DlqUsageError with a one-line message (the problem, the usage, where the help is)
 */
export function parseDlqArguments(argv: readonly string[], options: DlqParseOptions): DlqCommand | undefined {
  let command: DlqCommand | undefined;
  const program = buildProgram(options, (c) => (command = c));
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return undefined;
    throw error;
  }
  return command;
}
