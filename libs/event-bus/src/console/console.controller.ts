import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, UseGuards, type Type } from '@nestjs/common';
import type { DeadLetter } from '../dead-letters/dead-letter.interface';
import { CONSOLE_PAGE_CSP, renderConsolePage } from './console-page.html';
import type { ResolvedConsoleOptions } from './console-options.interface';
import { editedBodyOf, pageOf, replayTargetOf, requireConfirmation, requireJsonRequest } from './console-request.check';
import { ConsoleService, type ConsoleOverview, type ConsoleReplayResult, type DeadLetterPage } from './console.service';

/**
 * The console's routes, on a controller class made for one `forRoot()` call: Nest reads the
 * path and guards from class metadata, so a class of its own per mount keeps two consoles
 * (or two test applications) from sharing them.
 *
 * `GET <path>` serves the page; `<path>/api/...` is the JSON API the page and scripts use.
 */
export function createConsoleController(options: ResolvedConsoleOptions): Type<unknown> {
  @Controller(options.path)
  class EventBusConsoleController {
    constructor(private readonly operations: ConsoleService) {}

    /** The page. */
    @Get()
    @Header('content-type', 'text/html; charset=utf-8')
    @Header('cache-control', 'no-store')
    @Header('content-security-policy', CONSOLE_PAGE_CSP)
    @Header('x-content-type-options', 'nosniff')
    @Header('referrer-policy', 'no-referrer')
    page(): string {
      return renderConsolePage({
        serviceName: this.operations.serviceName,
        pageSize: options.pageSize,
        refreshInterval: options.refreshInterval,
      });
    }

    /** Every queue of the service: depth, consumers, rate, handler times, dead letters and their trend. */
    @Get('api/queues')
    @Header('cache-control', 'no-store')
    queues(): Promise<ConsoleOverview> {
      return this.operations.overview();
    }

    /** One page of a queue's dead letters (`?offset=0&limit=50`), oldest first. */
    @Get('api/queues/:queue/dead-letters')
    @Header('cache-control', 'no-store')
    deadLetters(@Param('queue') queue: string, @Query() query: Record<string, unknown>): Promise<DeadLetterPage> {
      const { offset, limit } = pageOf(query, options.pageSize);
      return this.operations.page(queue, offset, limit);
    }

    /** `{ "ids": [...] }`, or `{ "all": true, "confirm": true }`. */
    @Post('api/queues/:queue/dead-letters/replay')
    @HttpCode(200)
    replay(
      @Param('queue') queue: string,
      @Headers('content-type') type: string | undefined,
      @Body() body: unknown,
    ): Promise<ConsoleReplayResult> {
      requireJsonRequest(type);
      return this.operations.replay(queue, replayTargetOf(body));
    }

    /** `{ "confirm": true }`: deletes every dead letter of the queue. */
    @Post('api/queues/:queue/dead-letters/purge')
    @HttpCode(200)
    purge(@Param('queue') queue: string, @Headers('content-type') type: string | undefined, @Body() body: unknown) {
      requireJsonRequest(type);
      requireConfirmation(body, 'Purging every dead letter');
      return this.operations.purge(queue);
    }

    /** One dead letter in full. */
    @Get('api/queues/:queue/dead-letters/:eventId')
    @Header('cache-control', 'no-store')
    deadLetter(@Param('queue') queue: string, @Param('eventId') eventId: string): Promise<DeadLetter> {
      return this.operations.deadLetter(queue, eventId);
    }

    /** Replays one dead letter; `{ "body": "<JSON text>" }` replays it with that body instead (validated first). */
    @Post('api/queues/:queue/dead-letters/:eventId/replay')
    @HttpCode(200)
    replayOne(
      @Param('queue') queue: string,
      @Param('eventId') eventId: string,
      @Headers('content-type') type: string | undefined,
      @Body() body: unknown,
    ): Promise<ConsoleReplayResult> {
      requireJsonRequest(type);
      return this.operations.replayOne(queue, eventId, editedBodyOf(body, this.operations.maxMessageBytes));
    }
  }
  if (options.guard) UseGuards(options.guard)(EventBusConsoleController);
  return EventBusConsoleController;
}
