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
 * in its queue) and `useCache` (a freshly deployed instance is first handed the latest cached
 * USER_CREATED events; auth sends through its outbox, which does not write the cache, so here
 * that head start only gets what `publish({ cache: true })` callers left). The bus's
 * idempotency ledger makes a redelivered USER_CREATED a no-op here.
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
