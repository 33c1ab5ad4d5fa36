import { Injectable } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type { Redis } from 'ioredis';

/** Processing state of the documents service, in Redis: processed documents and the parser version. */
@Injectable()
export class DocumentStore {
  private readonly prefix = `${process.env.SERVICE_NAME ?? 'documents'}:`;

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async markProcessed(documentId: string, name: string, attempt: number): Promise<void> {
    await this.redis.hset(`${this.prefix}processed`, documentId, JSON.stringify({ name, attempt, at: new Date().toISOString() }));
  }

  async processed(): Promise<Record<string, { name: string; attempt: number; at: string }>> {
    const all = await this.redis.hgetall(`${this.prefix}processed`);
    return Object.fromEntries(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw)]));
  }

  /** Whether the parser that can read "corrupt" documents is deployed. */
  async parserFixed(): Promise<boolean> {
    return (await this.redis.get(`${this.prefix}parser-fixed`)) === '1';
  }

  async fixParser(): Promise<void> {
    await this.redis.set(`${this.prefix}parser-fixed`, '1');
  }
}
