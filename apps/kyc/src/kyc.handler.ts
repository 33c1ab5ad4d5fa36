import { Injectable } from '@nestjs/common';
import { OnEvent, type EventContext, type EventEnvelope } from 'nestjs-event-bus';
import { inboxTransaction, Outbox } from 'nestjs-event-bus/postgres';
import type { PoolClient } from 'pg';
import { KycCasesService } from './kyc-cases.service';

interface UserCreated {
  userId: string;
  email: string;
  role: string;
}

/**
 * Opens a KYC case for each new user and announces it. Through the inbox, the case, the
 * record that USER_CREATED was handled and KYC_STARTED (in the outbox) commit in one
 * transaction: a redelivered USER_CREATED opens no second case, even after a crash between
 * the commit and the ack. KYC_STARTED inherits the sign-up's correlation id and names
 * USER_CREATED as its cause without any ids being passed.
 */
@Injectable()
export class KycHandler {
  constructor(
    private readonly cases: KycCasesService,
    private readonly outbox: Outbox,
  ) {}

  @OnEvent('USER_CREATED', { inbox: true })
  async startKyc(event: EventEnvelope<UserCreated>, ctx: EventContext): Promise<void> {
    const tx = inboxTransaction<PoolClient>(ctx);
    const caseId = `kyc-${event.data.userId}`;
    await this.cases.save(tx, {
      caseId,
      userId: event.data.userId,
      status: 'PENDING_DOCUMENTS',
      correlationId: event.metadata.correlationId,
    });
    await this.outbox.add(tx, { type: 'KYC_STARTED', key: event.data.userId, data: { caseId, userId: event.data.userId } });
  }
}
