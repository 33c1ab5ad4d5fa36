'use strict';

const { Redis } = require('ioredis');

/** How many keys one SCAN step asks for while deleting a run's keys. */
const SCAN_BATCH = 1000;

/**
 * The harness's Redis connection: reads the server's command counters around a phase,
 * reports the version, and deletes the keys a run wrote.
 */
class RedisAdmin {
  /** @param {Redis} redis */
  constructor(redis) {
    this.redis = redis;
  }

  /**
   * @param {string} url
   * @returns {Promise<RedisAdmin>}
   */
  static async connect(url) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
    redis.on('error', () => undefined);
    await redis.connect();
    return new RedisAdmin(redis);
  }

  /** @returns {Promise<string>} e.g. "7.0.15" */
  async version() {
    const info = await this.redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  }

  /**
   * Sum of `calls` over `INFO commandstats`, all clients together. INFO itself is left out,
   * so reading the counters does not move them. Commands a Lua script runs count too.
   *
   * @returns {Promise<number>}
   */
  async commandCalls() {
    const info = await this.redis.info('commandstats');
    let total = 0;
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (match[1] !== 'info') total += Number(match[2]);
    }
    return total;
  }

  /**
   * Deletes every key starting with `prefix`.
   *
   * @param {string} prefix
   * @returns {Promise<number>} keys deleted
   */
  async deleteKeys(prefix) {
    let cursor = '0';
    let deleted = 0;
    const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  /** @returns {Promise<void>} */
  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

module.exports = { RedisAdmin };
