import { Body, Controller, Get, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventBus } from 'nestjs-event-bus';
import { DocumentStore } from './document-store.service';
import { UploadDocumentDto, type DocumentUploaded } from './upload-document.dto';

/** Uploads (announced as DOCUMENT_UPLOADED) and what has been processed. */
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly eventBus: EventBus,
    private readonly store: DocumentStore,
  ) {}

  @Post()
  async upload(@Body() body: UploadDocumentDto) {
    const documentId = randomUUID();
    const event = await this.eventBus.publish<DocumentUploaded>({
      type: 'DOCUMENT_UPLOADED',
      key: documentId,
      data: { documentId, name: body.name },
    });
    return { documentId, eventId: event.id };
  }

  @Get('processed')
  processed() {
    return this.store.processed();
  }
}
