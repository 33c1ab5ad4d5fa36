/**
 * Something needs Redis (the idempotency ledger, the latest-event cache) but the module was set
 * up without the `redis` option.
 */
export class RedisNotConfiguredError extends Error {
  constructor(readonly feature: string) {
    super(`${feature} needs Redis, but EventBusModule has no redis option: add redis: { url } to its options, or leave ${feature} off`);
    this.name = 'RedisNotConfiguredError';
  }
}
