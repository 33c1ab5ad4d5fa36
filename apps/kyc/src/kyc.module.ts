import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { samplePostgres } from '../../shared/src/sample-postgres.module';
import { KycCasesService } from './kyc-cases.service';
import { KycController } from './kyc.controller';
import { KycHandler } from './kyc.handler';

/** The KYC service: starts KYC on USER_CREATED (through the inbox), publishes KYC_STARTED (through the outbox). */
@Module({
  imports: [...sampleInfrastructure('kyc'), ...samplePostgres('kyc')],
  controllers: [KycController],
  providers: [KycCasesService, KycHandler],
})
export class KycModule {}
