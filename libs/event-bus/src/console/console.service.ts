import { HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { DeadLetter, ReplayResult } from '../dead-letters/dead-letter.interface';
import { DeadLetterNotFoundError } from '../dead-letters/dead-letter-not-found.error';
import { DeadLetterService } from '../dead-letters/dead-letter.service';
import { EditedBodyRejectedError } from '../dead-letters/edited-body-rejected.error';
import { EventBusLogger } from '../logging/event-bus-logger';
import { QueueHealthService, type EventBusHealthSnapshot, type QueueHealth } from '../monitoring/queue-health.service';
import { EVENT_BUS_CONSOLE_OPTIONS } from './console.constants';
import { ConsoleDirectory } from './console-directory';
import type { ResolvedConsoleOptions } from './console-options.interface';
import type { ReplayTarget } from './console-request.check';
import { QueueTrendSampler, type QueueTrend } from './queue-trend.sampler';

/** One queue of the service as the console shows it: its health plus its dead-letter queue and trend. */
export interface ConsoleQueue extends QueueHealth {
  deadLetterQueue: string;
  trend: QueueTrend;
}

/** `GET <path>/api/queues`: the service's queues now. */
export interface ConsoleOverview extends Omit<EventBusHealthSnapshot, 'queues'> {
  service: string;
  /** When the broker was asked (ISO-8601). */
  at: string;
  queues: ConsoleQueue[];
}

/** `GET <path>/api/queues/:queue/dead-letters`: one page of a dead-letter queue, oldest first. */
export interface DeadLetterPage {
  queue: string;
  deadLetterQueue: string;
  /** Dead letters in the queue when the page was read. */
  total: number;
  offset: number;
  limit: number;
  deadLetters: DeadLetter[];
}

/** Outcome of a replay through the console. */
export interface ConsoleReplayResult extends ReplayResult {
  queue: string;
  /** Requested ids no dead letter had (replayed or purged meanwhile). */
  notFound: string[];
  /** One sentence for the page. */
  message: string;
}

/** An error response with extra fields, in Nest's `{ statusCode, error, message }` shape. */
function httpError(status: HttpStatus, error: string, message: string, extra: object = {}): HttpException {
  return new HttpException({ statusCode: status, error, message, ...extra }, status);
}

/**
 * The operations behind the console's page and JSON API. Every queue name is checked against
 * this service's subscriptions first; the dead-letter work itself is `DeadLetterService`'s.
 */
@Injectable()
export class ConsoleService {
  private readonly sampler: QueueTrendSampler;
  private logger?: EventBusLogger;

  constructor(
    @Inject(EVENT_BUS_CONSOLE_OPTIONS) readonly options: ResolvedConsoleOptions,
    private readonly directory: ConsoleDirectory,
    private readonly health: QueueHealthService,
    private readonly deadLetters: DeadLetterService,
  ) {
    this.sampler = new QueueTrendSampler(options.trendWindow);
  }

  /** Name of the service the console belongs to. */
  get serviceName(): string {
    return this.directory.options.serviceName;
  }

  /** Largest message the bus accepts (`maxMessageBytes`): an edited body must fit. */
  get maxMessageBytes(): number {
    return this.directory.options.maxMessageBytes;
  }

  /** Every queue of the service, checked on the broker now, with rate and dead-letter trend. */
  async overview(): Promise<ConsoleOverview> {
    const { queues, ...status } = await this.health.snapshot();
    const dlqs = new Map(this.directory.subscriptions().map((s) => [s.queue, s.deadLetterQueue]));
    return {
      service: this.serviceName,
      ...status,
      at: new Date().toISOString(),
      queues: queues.map((q) => ({
        ...q,
        deadLetterQueue: dlqs.get(q.queue) ?? `${q.queue}.dlq`,
        trend: this.sampler.record(q.queue, q.handled, q.deadLetterDepth),
      })),
    };
  }

  /** One page of a queue's dead letters. */
  async page(queue: string, offset: number, limit: number): Promise<DeadLetterPage> {
    const spec = this.directory.subscriptionOf(queue);
    const total = await this.deadLetters.count(spec.queue);
    const deadLetters = await this.deadLetters.list(spec.queue, { offset, limit });
    return { queue: spec.queue, deadLetterQueue: spec.deadLetterQueue, total, offset, limit, deadLetters };
  }

  /** One dead letter in full. */
  async deadLetter(queue: string, eventId: string): Promise<DeadLetter> {
    const spec = this.directory.subscriptionOf(queue);
    const letter = await this.deadLetters.find(spec.queue, eventId);
    if (!letter) throw this.gone(new DeadLetterNotFoundError(spec.deadLetterQueue, eventId));
    return letter;
  }

  /** Replays the dead letters named by id, or all of them. */
  async replay(queue: string, target: ReplayTarget): Promise<ConsoleReplayResult> {
    const spec = this.directory.subscriptionOf(queue);
    const result = await this.deadLetters.replay(spec.queue, 'ids' in target ? { ids: target.ids } : {});
    const done = new Set([...result.replayed, ...result.skipped.map((s) => s.eventId)]);
    const notFound = 'ids' in target ? target.ids.filter((id) => !done.has(id)) : [];
    this.audit(`replayed ${result.replayed.length} dead letter(s) of ${spec.deadLetterQueue}`, { ...result, notFound });
    if (notFound.length > 0 && done.size === 0) {
      const what = notFound.length === 1 ? `No dead letter ${notFound[0]}` : `None of the ${notFound.length} dead letters`;
      throw httpError(HttpStatus.NOT_FOUND, 'Not Found', `${what} in ${spec.deadLetterQueue}: replayed or purged already`, { notFound });
    }
    return { queue: spec.queue, ...result, notFound, message: this.describe(result, notFound) };
  }

  /** Replays one dead letter, with `body` in place of its own when given (checked against the type's DTO). */
  async replayOne(queue: string, eventId: string, body?: string): Promise<ConsoleReplayResult> {
    const spec = this.directory.subscriptionOf(queue);
    let result: ReplayResult;
    try {
      result =
        body === undefined
          ? await this.deadLetters.replay(spec.queue, { ids: [eventId], limit: 1 })
          : await this.deadLetters.replayEdited(spec.queue, eventId, body, { schema: this.directory.schemaOf(spec) });
    } catch (err) {
      if (err instanceof DeadLetterNotFoundError) throw this.gone(err);
      if (err instanceof EditedBodyRejectedError) {
        throw httpError(HttpStatus.BAD_REQUEST, 'Bad Request', err.message, { problems: err.problems });
      }
      throw err;
    }
    if (result.replayed.length === 0 && result.skipped.length === 0)
      throw this.gone(new DeadLetterNotFoundError(spec.deadLetterQueue, eventId));
    this.audit(`replayed dead letter ${eventId} of ${spec.deadLetterQueue}${body === undefined ? '' : ' with an edited body'}`, result);
    return { queue: spec.queue, ...result, notFound: [], message: this.describe(result, [], body !== undefined) };
  }

  /** Deletes every dead letter of the queue. */
  async purge(queue: string): Promise<{ queue: string; purged: number; message: string }> {
    const spec = this.directory.subscriptionOf(queue);
    const purged = await this.deadLetters.purge(spec.queue);
    this.audit(`purged ${purged} dead letter(s) from ${spec.deadLetterQueue}`, { purged });
    return { queue: spec.queue, purged, message: `Purged ${purged} dead letter(s) from ${spec.deadLetterQueue}` };
  }

  private gone(err: DeadLetterNotFoundError): NotFoundException {
    return new NotFoundException({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: err.message, notFound: [err.eventId] });
  }

  private describe(result: ReplayResult, notFound: readonly string[], edited = false): string {
    const parts = [`Replayed ${result.replayed.length} dead letter(s)${edited ? ' with the edited body' : ''}`];
    if (result.skipped.length > 0) parts.push(`${result.skipped.length} left in place because their queue no longer exists`);
    if (notFound.length > 0) parts.push(`${notFound.length} not found (replayed or purged already): ${notFound.join(', ')}`);
    return parts.join('; ');
  }

  /** Operator actions are logged, so what was replayed or purged, and when, can be traced. */
  private audit(message: string, details: object): void {
    this.logger ??= new EventBusLogger('EventBus:Console', this.directory.options.secrets);
    this.logger.log(`Console ${message}`, details);
  }
}
