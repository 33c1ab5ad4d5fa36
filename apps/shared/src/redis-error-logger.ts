import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type { Redis } from 'ioredis';

/**
 * Logs the sample service's own Redis connection going away and coming back, one line each,
 * and closes it when the application shuts down. Without an `error` listener, ioredis prints
 * "Unhandled error event" with a stack trace on every reconnect attempt; and
 * `@nestjs-modules/ioredis` leaves the connection open after `app.close()`, which keeps a
 * process that closed its application (a test, say) from exiting.
 */
@Injectable()
export class RedisErrorLogger implements OnApplicationShutdown {
  private readonly logger = new Logger('SampleRedis');
  private down = false;

  constructor(@InjectRedis() private readonly redis: Redis) {
    redis.on('error', (err: Error) => {
      if (!this.down) this.logger.warn(`Redis unreachable: ${err.message}; retrying`);
      this.down = true;
    });
    redis.on('ready', () => {
      if (this.down) this.logger.log('Redis is back');
      this.down = false;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // quit() waits for pending replies; while Redis is unreachable it would wait for the reconnect.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
