import { Injectable } from '@nestjs/common';
import { EventBus, OnEvent, type EventEnvelope } from 'nestjs-event-bus';
import { KycCasesService } from './kyc-cases.service';

interface UserCreated {
  userId: string;
  email: string;
  role: string;
}

/**
 * Opens a KYC case for each new user and announces it. KYC_STARTED inherits the sign-up's
 * correlation id and names USER_CREATED as its cause without any ids being passed: the bus
 * carries them through the handler.
 */
@Injectable()
export class KycHandler {
  constructor(
    private readonly cases: KycCasesService,
    private readonly eventBus: EventBus,
  ) {}

  @OnEvent('USER_CREATED')
  async startKyc(event: EventEnvelope<UserCreated>): Promise<void> {
    const caseId = `kyc-${event.data.userId}`;
    await this.cases.save({
      caseId,
      userId: event.data.userId,
      status: 'PENDING_DOCUMENTS',
      correlationId: event.metadata.correlationId,
      openedAt: new Date().toISOString(),
    });
    await this.eventBus.publish({ type: 'KYC_STARTED', key: event.data.userId, data: { caseId, userId: event.data.userId } });
  }
}
