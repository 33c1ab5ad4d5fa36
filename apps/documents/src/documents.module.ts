import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { AdminController } from './admin.controller';
import { DocumentProcessor } from './document-processor.handler';
import { DocumentStore } from './document-store.service';
import { DocumentsController } from './documents.controller';

/** The documents service: uploads, processing with retries, dead letters and replay. */
@Module({
  imports: [...sampleInfrastructure('documents')],
  controllers: [DocumentsController, AdminController],
  providers: [DocumentStore, DocumentProcessor],
})
export class DocumentsModule {}
