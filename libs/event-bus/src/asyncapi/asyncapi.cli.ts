#!/usr/bin/env node
import 'reflect-metadata';
import { Logger, type INestApplicationContext, type Type } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAsyncApiArguments, AsyncApiUsageError, type AsyncApiArguments } from './asyncapi-arguments';
import type { EventBusAsyncApiOptions } from './asyncapi-options.interface';
import { AsyncApiDocumentService } from './asyncapi-document.service';
import { EVENT_BUS_ASYNCAPI_OPTIONS } from './event-bus-asyncapi.module';
import { loadApplicationWithoutStarting } from './load-application';

/** The module class `file` exports: `--export`, else the only exported class named `*Module`. */
function moduleClassOf(file: string, exportName: string | undefined): Type<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(resolve(file)) as Record<string, unknown>;
  if (exportName) {
    const found = exports[exportName];
    if (typeof found !== 'function') throw new AsyncApiUsageError(`${file} exports no class ${exportName}`);
    return found as Type<unknown>;
  }
  const candidates = Object.entries(exports).filter(([name, value]) => typeof value === 'function' && name.endsWith('Module'));
  if (candidates.length !== 1) {
    const names = candidates.map(([name]) => name).join(', ') || 'none';
    throw new AsyncApiUsageError(`${file}: name the module class with --export (classes ending in "Module": ${names})`);
  }
  return candidates[0][1] as Type<unknown>;
}

/** Options of the `EventBusAsyncApiModule` the application imports, if it does (`get` throws otherwise). */
function configuredOptions(app: INestApplicationContext): EventBusAsyncApiOptions | undefined {
  try {
    return app.get<EventBusAsyncApiOptions>(EVENT_BUS_ASYNCAPI_OPTIONS, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Writes the AsyncAPI document of an application module: its providers are built (connecting
 * to RabbitMQ and Redis as the service does) but the application is not started, so no handler
 * runs. Options of an imported `EventBusAsyncApiModule` apply; the flags add to them.
 */
export async function writeAsyncApiDocument(args: AsyncApiArguments): Promise<string> {
  const app = await loadApplicationWithoutStarting(moduleClassOf(args.module, args.exportName));
  try {
    const configured = configuredOptions(app);
    const options: EventBusAsyncApiOptions = {
      ...configured,
      ...(args.title ? { title: args.title } : {}),
      ...(args.version ? { version: args.version } : {}),
      publishes: [...(configured?.publishes ?? []), ...(args.publishes ?? [])],
    };
    const documents = app.get(AsyncApiDocumentService, { strict: false });
    const text = args.format === 'json' ? documents.json(options) : documents.yaml(options);
    if (args.out) writeFileSync(args.out, text);
    return text;
  } finally {
    await app.close();
  }
}

/** `event-bus-asyncapi`: exit code 0 on success, 1 when the document could not be written, 2 for a wrong command line. */
async function main(): Promise<number> {
  try {
    const args = parseAsyncApiArguments(process.argv.slice(2), (text) => process.stdout.write(text));
    if (!args) return 0;
    Logger.overrideLogger(['error']);
    const text = await writeAsyncApiDocument(args);
    if (args.out) process.stderr.write(`event-bus-asyncapi: wrote ${args.out}\n`);
    else process.stdout.write(text);
    return 0;
  } catch (err) {
    process.stderr.write(`event-bus-asyncapi: ${(err as Error).message}\n`);
    return err instanceof AsyncApiUsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void main().then((code) => (process.exitCode = code));
}
