#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { eventBusOptionsFromEnv } from '../config/event-bus-options.from-env';
import { DeadLetterService } from '../dead-letters/dead-letter.service';
import { EventBusModule } from '../event-bus.module';
import { formatDeadLetterTable } from './dead-letter-table';
import { parseDlqArguments, type DlqCommand } from './dlq-arguments';

async function run(command: DlqCommand, service: DeadLetterService): Promise<string> {
  switch (command.action) {
    case 'list':
      return formatDeadLetterTable(await service.list(command.queue, { limit: command.limit }));
    case 'count':
      return `${await service.count(command.queue)} dead letter(s) in ${command.queue}`;
    case 'replay': {
      const ids = command.ids.length > 0 ? command.ids : undefined;
      const result = await service.replay(command.queue, { limit: command.limit, ids });
      const lines = [`replayed ${result.replayed.length} dead letter(s) from ${command.queue}`, ...result.replayed.map((id) => `  ${id}`)];
      for (const s of result.skipped) lines.push(`skipped ${s.eventId}: queue ${s.originalQueue} does not exist`);
      return lines.join('\n');
    }
    case 'purge':
      return `purged ${await service.purge(command.queue)} dead letter(s) from ${command.queue}`;
  }
}

/**
 * `dlq list|count|replay|purge <queue>`: the DeadLetterService from the command line, with
 * the same environment variables as the services (RABBITMQ_URL, EVENT_EXCHANGE, ...).
 */
async function main(): Promise<void> {
  let command: DlqCommand;
  try {
    command = parseDlqArguments(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  const options = eventBusOptionsFromEnv(process.env, process.env.SERVICE_NAME || 'dlq-cli');
  const app = await NestFactory.createApplicationContext(EventBusModule.forRoot(options), { logger: ['error'] });
  try {
    console.log(await run(command, app.get(DeadLetterService)));
  } finally {
    await app.close();
  }
}

main().catch((err: Error) => {
  console.error(`dlq: ${err.message}`);
  process.exitCode = 1;
});
