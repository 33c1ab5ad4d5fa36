#!/usr/bin/env node
import 'reflect-metadata';
import { isatty } from 'node:tty';
import { passwordOf } from '../options/redact-url';
import { parseDlqArguments } from './dlq-arguments';
import { runDlqCommand } from './dlq-runner';
import { describeFailure } from './failure-message';
import { programNameOf } from './program-name';
import { askYesNo, requirePurgeConsent } from './purge-confirmation';

/**
 * `event-bus-dlq list|count|show|replay|purge <queue>`: the DeadLetterService from the command
 * line, configured by the same environment variables as the services (RABBITMQ_URL,
 * EVENT_EXCHANGE, ...). Results go to stdout; warnings and errors to stderr, one line each.
 * Exit code 0 on success, 1 when something failed or an id was not found, 2 for a wrong command line.
 */
async function main(): Promise<number> {
  const name = programNameOf(process.argv[1]);
  const report = (line: string) => process.stderr.write(`${name}: ${line}\n`);
  const urls = [process.env.RABBITMQ_URL, ...(process.env.RABBITMQ_URLS?.split(',') ?? []), process.env.REDIS_URL];
  const secrets = urls.flatMap((url) => (url ? (passwordOf(url.trim()) ?? []) : []));
  try {
    const command = parseDlqArguments(process.argv.slice(2), { programName: name, writeHelp: (text) => process.stdout.write(text) });
    if (!command) return 0; // help was shown
    requirePurgeConsent(command, isatty(0));
    // Loaded only now, so help and usage errors do not wait for Nest and the library to load.
    const { openDeadLetterContext } = await import('./dead-letter-context');
    const context = await openDeadLetterContext(process.env);
    try {
      const outcome = await runDlqCommand(command, context.deadLetters, (question) => askYesNo(question, process.stdin, process.stderr));
      if (outcome.stdout) process.stdout.write(`${outcome.stdout}\n`);
      outcome.warnings.forEach(report);
      return outcome.exitCode;
    } finally {
      await context.close();
    }
  } catch (error) {
    const failure = describeFailure(error, secrets);
    report(failure.message);
    return failure.exitCode;
  }
}

// A reader that stops early (`| head`) closes the pipe: end quietly instead of with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

void main().then((code) => {
  process.exitCode = code;
});
