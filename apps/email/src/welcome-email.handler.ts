import { Injectable } from '@nestjs/common';
import { OnEvent, type EventEnvelope } from 'nestjs-event-bus';
import { OutboxService } from './outbox.service';

interface UserCreated {
  userId: string;
  email: string;
  role: string;
}

/**
 * One welcome e-mail per new user. Durable (sign-ups made while this service is down wait
 * in its queue) and `useCache` (a freshly deployed instance first catches up from the
 * cache). The bus's idempotency ledger makes a redelivered USER_CREATED a no-op here.
 */
@Injectable()
export class WelcomeEmailHandler {
  constructor(private readonly outbox: OutboxService) {}

  @OnEvent('USER_CREATED', { durable: true, useCache: true })
  async onUserCreated(event: EventEnvelope<UserCreated>): Promise<void> {
    await this.outbox.send({
      to: event.data.email,
      subject: 'Welcome aboard',
      text: `Hello! Your ${event.data.role.toLowerCase()} account ${event.data.userId} is ready.`,
      correlationId: event.metadata.correlationId,
    });
  }
}
