/** Name of the installed command (the `bin` entry of the package). */
export const DEFAULT_PROGRAM_NAME = 'event-bus-dlq';

/**
 * The name the command was started by, for usage lines and help: the basename of
 * `process.argv[1]` when that is the installed command (`event-bus-dlq`, or whatever name it
 * was linked under), and `event-bus-dlq` when it is the script file itself (`node
 * dist/cli/dlq.cli.js`, `npm run dlq`, or the shims of some package managers).
 */
export function programNameOf(scriptPath: string | undefined): string {
  const base = scriptPath?.split(/[\\/]/).pop() ?? '';
  return base === '' || /\.[cm]?[jt]s$/i.test(base) ? DEFAULT_PROGRAM_NAME : base;
}
