import { Module } from '@nestjs/common';
import { sampleInfrastructure } from '../../shared/src/sample-config.module';
import { KycCasesService } from './kyc-cases.service';
import { KycController } from './kyc.controller';
import { KycHandler } from './kyc.handler';

/** The KYC service: starts KYC on USER_CREATED, publishes KYC_STARTED. */
@Module({
  imports: [...sampleInfrastructure('kyc')],
  controllers: [KycController],
  providers: [KycCasesService, KycHandler],
})
export class KycModule {}
