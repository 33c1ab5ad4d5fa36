import { Injectable } from '@nestjs/common';
import { OnEvent, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { DocumentStore } from './document-store.service';
import type { DocumentUploaded } from './upload-document.dto';

/**
 * Processes uploads. To show the failure handling, names decide what happens: a name with
 * "flaky" fails twice (a timeout of the scanning service) and succeeds on attempt 3; a name
 * with "corrupt" fails on every attempt until the parser is fixed, so it ends up in the
 * dead-letter queue with its history and succeeds when replayed after the fix.
 */
@Injectable()
export class DocumentProcessor {
  constructor(private readonly store: DocumentStore) {}

  @OnEvent('DOCUMENT_UPLOADED', { retryCount: 3, retryDelay: 300, retryBackoff: 'exponential' })
  async process(event: EventEnvelope<DocumentUploaded>, ctx: EventContext): Promise<void> {
    const { documentId, name } = event.data;
    if (name.includes('flaky') && ctx.attempt < 3) throw new Error(`virus scanner timed out (attempt ${ctx.attempt})`);
    if (name.includes('corrupt') && !(await this.store.parserFixed())) throw new Error(`cannot parse ${name}: unexpected end of stream`);
    await this.store.markProcessed(documentId, name, ctx.attempt);
  }
}
