import { Module } from '@nestjs/common';
import { EventBusConsoleModule } from 'nestjs-event-bus';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { AdminController } from './admin.controller';
import { DocumentProcessor } from './document-processor.handler';
import { DocumentStore } from './document-store.service';
import { DocumentsController } from './documents.controller';
import { OperatorGuard } from './operator.guard';

/**
 * The operator console at /event-bus, behind HTTP Basic credentials (`CONSOLE_PASSWORD`). Only
 * `CONSOLE_INSECURE_DEV_MODE=1` mounts it without them, for a developer's machine.
 */
const operatorConsole = EventBusConsoleModule.forRoot(
  process.env.CONSOLE_INSECURE_DEV_MODE === '1' ? { insecureDevMode: true } : { guard: OperatorGuard },
);

/** The documents service: uploads, processing with retries, dead letters and replay, and the operator console. */
@Module({
  imports: [...sampleInfrastructure('documents'), operatorConsole],
  controllers: [DocumentsController, AdminController],
  providers: [DocumentStore, DocumentProcessor],
})
export class DocumentsModule {}
