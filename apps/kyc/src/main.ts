import 'reflect-metadata';
import { bootstrapService } from '../../shared/src/bootstrap';
import { KycModule } from './kyc.module';

void bootstrapService(KycModule, 'kyc', 3003);
