import { Injectable } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type { Redis } from 'ioredis';
import { createTransport, type Transporter } from 'nodemailer';

/** A sent e-mail as the outbox keeps it. */
export interface SentMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  correlationId?: string;
  sentAt: string;
}

/**
 * Sends e-mail through nodemailer's JSON transport (it renders the full message without an
 * SMTP server) and records each one in an outbox list in Redis, which the demo reads.
 */
@Injectable()
export class OutboxService {
  private readonly transport: Transporter = createTransport({ jsonTransport: true });
  private readonly key = `${process.env.SERVICE_NAME ?? 'email'}:outbox`;

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async send(mail: { to: string; subject: string; text: string; correlationId?: string }): Promise<SentMail> {
    const info = await this.transport.sendMail({ from: 'welcome@example.com', to: mail.to, subject: mail.subject, text: mail.text });
    const sent: SentMail = { ...mail, messageId: info.messageId, sentAt: new Date().toISOString() };
    await this.redis.rpush(this.key, JSON.stringify(sent));
    return sent;
  }

  async list(): Promise<SentMail[]> {
    return (await this.redis.lrange(this.key, 0, -1)).map((raw) => JSON.parse(raw) as SentMail);
  }
}
