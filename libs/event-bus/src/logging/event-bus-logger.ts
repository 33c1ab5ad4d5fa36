import { Logger, type LoggerService } from '@nestjs/common';
import { currentCorrelationId } from '../correlation/correlation-context';
import { redactSecrets } from '../options/redact-url';

/**
 * The library's logger: every line has passwords scrubbed and names the current correlation
 * id when there is one. Structured details go in as an object and are printed as JSON.
 */
export class EventBusLogger implements LoggerService {
  /**
   * A logger without a context of its own, handed the context on every call: Nest's contextual
   * Logger passes `error(message, undefined, context)` when there is no stack, and a logger the
   * application supplies then prints a stray "undefined".
   */
  private readonly logger = new Logger();

  constructor(
    private readonly context: string,
    private readonly secrets: readonly string[],
  ) {}

  log(message: string, details?: object): void {
    this.logger.log(this.format(message, details), this.context);
  }

  warn(message: string, details?: object): void {
    this.logger.warn(this.format(message, details), this.context);
  }

  error(message: string, details?: object | string): void {
    this.logger.error(this.format(message, typeof details === 'string' ? { stack: details } : details), this.context);
  }

  debug(message: string, details?: object): void {
    this.logger.debug(this.format(message, details), this.context);
  }

  verbose(message: string, details?: object): void {
    this.logger.verbose(this.format(message, details), this.context);
  }

  /** Scrubs secrets from text that did not pass through the logger (error messages shown to callers). */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  private format(message: string, details?: object): string {
    const correlationId = currentCorrelationId();
    const withId = correlationId && !details ? { correlationId } : details && correlationId ? { correlationId, ...details } : details;
    const text = withId ? `${message} ${JSON.stringify(withId)}` : message;
    return redactSecrets(text, this.secrets);
  }
}
