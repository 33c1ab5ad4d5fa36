import 'reflect-metadata';
import { bootstrapService } from '../../shared/src/bootstrap';
import { DocumentsModule } from './documents.module';

void bootstrapService(DocumentsModule, 'documents', 3004);
