import 'reflect-metadata';
import { bootstrapService } from '../../shared/src/bootstrap';
import { EmailModule } from './email.module';

void bootstrapService(EmailModule, 'email', 3002);
