#!/usr/bin/env node
import { runOutboxCommand, type OutboxCommandPool } from './outbox-command';

/**
 * `event-bus-outbox`: creates the outbox/inbox tables and lists or replays dead outbox rows
 * (docs/outbox-inbox.md). Needs the `pg` package, which the PostgreSQL features need anyway.
 */
async function main(): Promise<number> {
  return runOutboxCommand(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    openPool: (url) => {
      // Loaded here, not at the top: `pg` is an optional peer dependency of the package.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Pool } = require('pg') as typeof import('pg');
      return new Pool({ connectionString: url, max: 2 }) as unknown as OutboxCommandPool;
    },
  });
}

void main().then((code) => {
  process.exitCode = code;
});
