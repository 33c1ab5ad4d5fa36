import { InvalidPostgresOptionsError } from '../errors/invalid-postgres-options.error';
import {
  describeValue,
  isObject,
  optionalInt,
  optionalOneOf,
  optionKeys,
  type Problems,
  refuseUnknownKeys,
} from '../options/option-checks';
import { SCHEMA_NAME_PATTERN } from '../sql/sql-identifier';
import type { TransactionRunner } from '../sql/transaction-runner';
import type { EventBusPostgresOptions, OutboxRelayOptions, OutboxRetentionOptions } from './event-bus-postgres-options.interface';

/** Options with every default filled in. */
export interface ResolvedPostgresOptions {
  pool: EventBusPostgresOptions['pool'];
  schema: string;
  ensureSchema: boolean;
  inboxTransactions?: TransactionRunner;
  relay: Required<OutboxRelayOptions>;
  retention: Required<OutboxRetentionOptions>;
}

const KNOWN = {
  options: optionKeys<EventBusPostgresOptions>({
    pool: true,
    schema: true,
    ensureSchema: true,
    inboxTransactions: true,
    relay: true,
    retention: true,
  }),
  relay: optionKeys<OutboxRelayOptions>({
    enabled: true,
    batchSize: true,
    pollInterval: true,
    maxAttempts: true,
    retryDelay: true,
    maxRetryDelay: true,
  }),
  retention: optionKeys<OutboxRetentionOptions>({ sent: true, inbox: true, interval: true }),
};

/** Defaults, documented in docs/outbox-inbox.md. */
export const POSTGRES_OPTION_DEFAULTS = {
  schema: 'event_bus',
  relay: { enabled: true, batchSize: 100, pollInterval: 1_000, maxAttempts: 10, retryDelay: 1_000, maxRetryDelay: 300_000 },
  retention: { sent: 86_400_000, inbox: 604_800_000, interval: 60_000 },
} as const;

function checkSection(value: unknown, name: 'relay' | 'retention', ints: Record<string, number>, problems: Problems): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push(`${name}: must be an object (got ${describeValue(value)})`);
    return;
  }
  for (const [key, min] of Object.entries(ints)) optionalInt(value, key, `${name}.${key}`, min, problems);
  if (name === 'relay') optionalOneOf(value, 'enabled', 'relay.enabled', [true, false], problems);
  refuseUnknownKeys(value, KNOWN[name], `${name}.`, problems);
}

/**
 * Checks `EventBusPostgresModule`'s options, every problem at once, and fills in defaults.
 * @throws InvalidPostgresOptionsError
 */
export function validatePostgresOptions(options: unknown): ResolvedPostgresOptions {
  if (!isObject(options)) throw new InvalidPostgresOptionsError([`options: required; an object with pool (got ${describeValue(options)})`]);
  const problems: Problems = [];
  const pool = options.pool as { connect?: unknown; query?: unknown } | undefined;
  if (!isObject(pool) || typeof pool.connect !== 'function' || typeof pool.query !== 'function') {
    problems.push(`pool: required; a pg Pool (new Pool({ connectionString })) (got ${describeValue(pool)})`);
  }
  if (options.schema !== undefined && (typeof options.schema !== 'string' || !SCHEMA_NAME_PATTERN.test(options.schema))) {
    problems.push(
      `schema: lower-case letters, digits and '_', starting with a letter or '_', at most 48 (got ${describeValue(options.schema)})`,
    );
  }
  optionalOneOf(options, 'ensureSchema', 'ensureSchema', [true, false], problems);
  const runner = options.inboxTransactions as Partial<TransactionRunner> | undefined;
  if (runner !== undefined && (!isObject(runner) || typeof runner.run !== 'function')) {
    problems.push('inboxTransactions: pgPoolTransactions(pool), typeOrmTransactions(dataSource) or prismaTransactions(prisma)');
  }
  checkSection(options.relay, 'relay', { batchSize: 1, pollInterval: 10, maxAttempts: 1, retryDelay: 1, maxRetryDelay: 1 }, problems);
  checkSection(options.retention, 'retention', { sent: 0, inbox: 0, interval: 100 }, problems);
  refuseUnknownKeys(options, KNOWN.options, '', problems);
  if (problems.length > 0) throw new InvalidPostgresOptionsError(problems);

  const typed = options as unknown as EventBusPostgresOptions;
  const d = POSTGRES_OPTION_DEFAULTS;
  return {
    pool: typed.pool,
    schema: typed.schema ?? d.schema,
    ensureSchema: typed.ensureSchema ?? false,
    inboxTransactions: typed.inboxTransactions,
    relay: { ...d.relay, ...typed.relay },
    retention: { ...d.retention, ...typed.retention },
  };
}
