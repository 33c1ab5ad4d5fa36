'use strict';

/**
 * Deletes every queue, exchange and Redis key the run created, then closes the harness's
 * connections. Problems are reported, never thrown.
 *
 * @param {import('./run-contender').Plan[]} plans
 * @param {import('./broker-admin').BrokerAdmin} broker
 * @param {import('./redis-admin').RedisAdmin | undefined} redis
 * @returns {Promise<void>}
 */
async function cleanUpAll(plans, broker, redis) {
  const problems = [];
  for (const { names, spec } of plans) {
    problems.push(
      ...(await broker.remove({
        queues: [...Object.values(names.queues), ...names.extraQueues],
        exchanges: [names.exchange, names.deadLetterExchange ?? ''].filter(Boolean),
      })),
    );
    if (spec.usesRedis && redis && names.keyPrefix)
      await redis.deleteKeys(names.keyPrefix).catch((err) => problems.push(`Redis keys: ${err.message}`));
  }
  if (problems.length > 0) console.error(`Clean-up problems:\n  ${problems.join('\n  ')}`);
  await broker.close();
  await redis?.close();
}

module.exports = { cleanUpAll };
