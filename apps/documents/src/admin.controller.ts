import { Body, Controller, Get, Post } from '@nestjs/common';
import { DeadLetterService } from 'nestjs-event-bus';
import { DocumentStore } from './document-store.service';

/** Operations: inspect and replay the processor's dead letters, deploy the parser fix. */
@Controller('admin')
export class AdminController {
  private readonly queue = `${process.env.SERVICE_NAME ?? 'documents'}.DOCUMENT_UPLOADED`;

  constructor(
    private readonly deadLetters: DeadLetterService,
    private readonly store: DocumentStore,
  ) {}

  @Get('dead-letters')
  list() {
    return this.deadLetters.list(this.queue);
  }

  @Post('dead-letters/replay')
  replay(@Body() body: { ids?: string[] } = {}) {
    return this.deadLetters.replay(this.queue, { ids: body.ids });
  }

  @Post('parser-fix')
  async fix() {
    await this.store.fixParser();
    return { parserFixed: true };
  }
}
