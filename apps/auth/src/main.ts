import 'reflect-metadata';
import { bootstrapService } from '../../shared/src/bootstrap';
import { AuthModule } from './auth.module';

void bootstrapService(AuthModule, 'auth', 3001);
