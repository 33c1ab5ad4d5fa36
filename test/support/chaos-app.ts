import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventBus, EventBusModule, type EventBusOptions } from 'nestjs-event-bus';

/** Log lines of one application, by level, as the Nest logger received them. */
export class CapturedLog implements LoggerService {
  readonly lines: Array<{ level: string; text: string }> = [];

  log(...args: unknown[]): void {
    this.add('log', args);
  }
  error(...args: unknown[]): void {
    this.add('error', args);
  }
  warn(...args: unknown[]): void {
    this.add('warn', args);
  }
  debug(...args: unknown[]): void {
    this.add('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.add('verbose', args);
  }

  /** Everything logged, one line per call. */
  get text(): string {
    return this.lines.map((l) => `${l.level}: ${l.text}`).join('\n');
  }

  /** Lines of `level` containing `fragment`. */
  count(level: string, fragment: string): number {
    return this.lines.filter((l) => l.level === level && l.text.includes(fragment)).length;
  }

  private add(level: string, args: unknown[]): void {
    this.lines.push({ level, text: args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ') });
    // A fault scenario logs a reconnect storm by design; CHAOS_VERBOSE=1 shows it live.
    if (process.env.CHAOS_VERBOSE === '1') process.stderr.write(`[${level}] ${this.lines[this.lines.length - 1].text}\n`);
  }
}

/** A running service instance: its application, bus and log. */
export interface ChaosApp {
  app: INestApplication;
  bus: EventBus;
  log: CapturedLog;
  close(): Promise<void>;
}

/**
 * Starts a Nest application with `EventBusModule.forRoot(options)`, its log captured rather
 * than printed, so a scenario can assert on it and a reconnect storm does not flood the run.
 * Nest keeps one static logger per process, so the library's lines of every application go
 * to the log given last: apps of one scenario should share one `CapturedLog`.
 */
export async function startChaosApp(options: EventBusOptions, log = new CapturedLog()): Promise<ChaosApp> {
  const moduleRef = await Test.createTestingModule({ imports: [EventBusModule.forRoot(options)] })
    .setLogger(log)
    .compile();
  const app = moduleRef.createNestApplication({ logger: log });
  await app.init();
  let closing: Promise<void> | undefined;
  return {
    app,
    bus: app.get(EventBus),
    log,
    close: () => (closing ??= app.close()),
  };
}
