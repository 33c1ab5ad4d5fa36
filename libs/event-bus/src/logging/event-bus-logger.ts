import { Logger, type LoggerService } from '@nestjs/common';
import { currentCorrelationId } from '../correlation/correlation-context';
import { redactSecrets } from '../options/redact-url';

/**
 * The library's logger: every line has passwords scrubbed and names the current correlation
 * id when there is one. Structured details go in as an object and are printed as JSON.
 */
export class EventBusLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(
    context: string,
    private readonly secrets: readonly string[],
  ) {
    this.logger = new Logger(context);
  }

  log(message: string, details?: object): void {
    this.logger.log(this.format(message, details));
  }

  warn(message: string, details?: object): void {
    this.logger.warn(this.format(message, details));
  }

  error(message: string, details?: object | string): void {
    this.logger.error(this.format(message, typeof details === 'string' ? { stack: details } : details));
  }

  debug(message: string, details?: object): void {
    this.logger.debug(this.format(message, details));
  }

  verbose(message: string, details?: object): void {
    this.logger.verbose(this.format(message, details));
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
