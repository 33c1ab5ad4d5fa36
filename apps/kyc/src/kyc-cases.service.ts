import { Injectable } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type { Redis } from 'ioredis';

/** A KYC (know-your-customer) case. */
export interface KycCase {
  caseId: string;
  userId: string;
  status: 'PENDING_DOCUMENTS';
  correlationId: string;
  openedAt: string;
}

/** KYC cases, one per user, in Redis. */
@Injectable()
export class KycCasesService {
  private readonly prefix = `${process.env.SERVICE_NAME ?? 'kyc'}:case:`;

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async save(kycCase: KycCase): Promise<void> {
    await this.redis.set(`${this.prefix}${kycCase.userId}`, JSON.stringify(kycCase));
  }

  async find(userId: string): Promise<KycCase | null> {
    const raw = await this.redis.get(`${this.prefix}${userId}`);
    return raw ? (JSON.parse(raw) as KycCase) : null;
  }
}
