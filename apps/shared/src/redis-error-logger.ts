import { Injectable, Logger } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type { Redis } from 'ioredis';

/**
 * Logs the sample service's own Redis connection going away and coming back, one line each.
 * Without an `error` listener, ioredis prints "Unhandled error event" with a stack trace on
 * every reconnect attempt.
 */
@Injectable()
export class RedisErrorLogger {
  private readonly logger = new Logger('SampleRedis');
  private down = false;

  constructor(@InjectRedis() redis: Redis) {
    redis.on('error', (err: Error) => {
      if (!this.down) this.logger.warn(`Redis unreachable: ${err.message}; retrying`);
      this.down = true;
    });
    redis.on('ready', () => {
      if (this.down) this.logger.log('Redis is back');
      this.down = false;
    });
  }
}
