import { Command, CommanderError, Option } from 'commander';

/** What `event-bus-asyncapi` was asked to do. */
export interface AsyncApiArguments {
  /** File of the compiled application module. */
  module: string;
  /** Export naming the module class; default: the only exported class whose name ends in `Module`. */
  exportName?: string;
  /** File to write; stdout when absent. */
  out?: string;
  format: 'json' | 'yaml';
  publishes?: string[];
  title?: string;
  version?: string;
}

/** A command line that cannot run; exit code 2. */
export class AsyncApiUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsyncApiUsageError';
  }
}

/**
 * Parses `event-bus-asyncapi --module <file> [--export <name>] [--out <file>] [--format json|yaml]
 * [--publishes A,B] [--title <t>] [--doc-version <v>]`. Returns undefined when help was shown.
 * @throws AsyncApiUsageError naming what to fix
 */
export function parseAsyncApiArguments(argv: readonly string[], writeHelp: (text: string) => void): AsyncApiArguments | undefined {
  const program = new Command('event-bus-asyncapi')
    .description("Writes the AsyncAPI 3.0 document of a Nest application's event bus without starting it")
    .requiredOption('-m, --module <file>', 'compiled module file, e.g. dist/apps/auth/src/auth.module.js')
    .option('-e, --export <name>', 'exported module class (default: the only export ending in "Module")')
    .option('-o, --out <file>', 'file to write (default: stdout); .json or .yaml/.yml picks the format')
    .addOption(new Option('-f, --format <format>', 'json or yaml (default: from --out, else yaml)').choices(['json', 'yaml']))
    .option('-p, --publishes <types>', 'comma-separated event types the service publishes (adds to the module options)')
    .option('--title <title>', 'info.title')
    .option('--doc-version <version>', 'info.version')
    .exitOverride()
    .configureOutput({ writeOut: writeHelp, writeErr: () => undefined });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) return undefined;
    throw new AsyncApiUsageError((err as Error).message.replace(/^error: /, ''));
  }
  const o = program.opts<{
    module: string;
    export?: string;
    out?: string;
    format?: 'json' | 'yaml';
    publishes?: string;
    title?: string;
    docVersion?: string;
  }>();
  const fromOut = o.out && /\.json$/i.test(o.out) ? 'json' : o.out && /\.ya?ml$/i.test(o.out) ? 'yaml' : undefined;
  if (o.format && fromOut && o.format !== fromOut) {
    throw new AsyncApiUsageError(`--format ${o.format} contradicts the extension of --out ${o.out}`);
  }
  const publishes = o.publishes
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return {
    module: o.module,
    exportName: o.export,
    out: o.out,
    format: o.format ?? fromOut ?? 'yaml',
    publishes,
    title: o.title,
    version: o.docVersion,
  };
}
