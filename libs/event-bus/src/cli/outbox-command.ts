import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { OutboxDeadRows } from '../outbox/outbox-dead-rows';
import { pgExecutor } from '../sql/pg-executor';
import { postgresSchemaSql } from '../sql/postgres-schema.sql';
import { outboxChannel, SCHEMA_NAME_PATTERN } from '../sql/sql-identifier';
import { migratePostgresSchema } from '../sql/run-migration';
import type { PgPoolLike } from '../sql/transaction-runner';

/** A pool the command opens from the database URL, and ends when done. */
export interface OutboxCommandPool extends PgPoolLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  end(): Promise<void>;
}

/** Where the command reads its settings and writes its results. */
export interface OutboxCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  openPool: (url: string) => OutboxCommandPool;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

function schemaName(value: string): string {
  if (!SCHEMA_NAME_PATTERN.test(value)) throw new InvalidArgumentError("lower-case letters, digits and '_'");
  return value;
}

/**
 * `event-bus-outbox migrate | status | dead list | dead replay`, against the database of
 * `--url` or `DATABASE_URL`, schema `--schema` or `EVENT_BUS_SCHEMA` (default `event_bus`).
 * `migrate --print` writes the SQL instead of running it, for a team's own migration tool.
 * @returns the exit code: 0 done, 1 failed, 2 wrong command line
 */
export async function runOutboxCommand(argv: readonly string[], io: OutboxCommandIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('event-bus-outbox')
    .description('Schema and dead rows of the nestjs-event-bus PostgreSQL outbox')
    .option('--url <url>', 'PostgreSQL URL (default: $DATABASE_URL)')
    .option('--schema <name>', 'schema of the outbox and inbox tables (default: $EVENT_BUS_SCHEMA or event_bus)', schemaName)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const settings = (): { url: string; schema: string } => {
    const { url = io.env.DATABASE_URL, schema = io.env.EVENT_BUS_SCHEMA ?? 'event_bus' } = program.opts<{
      url?: string;
      schema?: string;
    }>();
    if (!url) throw new CommanderError(2, 'outbox.url', 'no database: pass --url or set DATABASE_URL');
    if (!SCHEMA_NAME_PATTERN.test(schema))
      throw new CommanderError(2, 'outbox.schema', `EVENT_BUS_SCHEMA: lower-case letters, digits and '_' (got ${JSON.stringify(schema)})`);
    return { url, schema };
  };
  const withPool = async (work: (pool: OutboxCommandPool, schema: string) => Promise<void>): Promise<void> => {
    const { url, schema } = settings();
    const pool = io.openPool(url);
    try {
      await work(pool, schema);
    } finally {
      await pool.end();
    }
  };
  const deadRows = (pool: OutboxCommandPool, schema: string) => new OutboxDeadRows(pgExecutor(pool), schema, outboxChannel(schema));

  program
    .command('migrate')
    .description('create the outbox and inbox tables (idempotent)')
    .option('--print', 'print the SQL instead of running it')
    .action(async (options: { print?: boolean }) => {
      if (options.print)
        return io.stdout(postgresSchemaSql(program.opts<{ schema?: string }>().schema ?? io.env.EVENT_BUS_SCHEMA ?? 'event_bus'));
      await withPool(async (pool, schema) => {
        await migratePostgresSchema(pool, schema);
        io.stdout(`Outbox and inbox tables are in place in schema ${schema}\n`);
      });
    });
  program
    .command('status')
    .description('rows per state (pending, sent, dead)')
    .action(() => withPool(async (pool, schema) => io.stdout(`${JSON.stringify(await deadRows(pool, schema).counts())}\n`)));

  const dead = program.command('dead').description('rows that could not be sent');
  dead
    .command('list')
    .description('list dead rows, oldest first, one JSON object a line')
    .option('--limit <n>', 'most rows to list', positiveInt, 100)
    .option('--after <id>', 'list rows after this id (paging)')
    .action((options: { limit: number; after?: string }) =>
      withPool(async (pool, schema) => {
        const rows = await deadRows(pool, schema).list({ limit: options.limit, afterId: options.after });
        for (const row of rows) io.stdout(`${JSON.stringify(row)}\n`);
      }),
    );
  dead
    .command('replay')
    .description('send dead rows again (state back to pending, attempts reset)')
    .argument('[ids...]', 'row ids, as listed')
    .option('--all', 'every dead row')
    .action((ids: string[], options: { all?: boolean }) => {
      if (ids.length === 0 && !options.all) throw new CommanderError(2, 'outbox.replay', 'name the row ids to replay, or pass --all');
      return withPool(async (pool, schema) => {
        const replayed = await deadRows(pool, schema).replay(options.all ? {} : { ids });
        io.stdout(`Replayed ${replayed} row(s)\n`);
        if (!options.all && replayed < ids.length) {
          io.stderr(`${ids.length - replayed} of the given ids are not dead rows\n`);
          exitCode = 1;
        }
      });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return 0;
      if (!/^commander\./.test(error.code)) io.stderr(`event-bus-outbox: ${error.message}\n`);
      return 2;
    }
    io.stderr(`event-bus-outbox: ${(error as Error).message}\n`);
    return 1;
  }
}
