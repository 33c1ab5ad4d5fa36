import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { KycCasesService } from './kyc-cases.service';

/** Looks up a user's KYC case. */
@Controller('kyc')
export class KycController {
  constructor(private readonly cases: KycCasesService) {}

  @Get(':userId')
  async find(@Param('userId') userId: string) {
    const found = await this.cases.find(userId);
    if (!found) throw new NotFoundException(`No KYC case for user ${userId}`);
    return found;
  }
}
