import { Redis } from 'ioredis';
import { RawAmqp } from './raw-amqp';
import { listQueues } from './chaos-queues';
import { REDIS_URL, type TestTopology } from './test-names';

/** Deletes every key of the shared Redis starting with `prefix` (the bus's ledger of a scenario). */
export async function deleteSharedKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Removes what a scenario left on the shared services: the bus's Redis keys (ledger entries of
 * thousands of events) and every queue of its services plus its exchanges.
 * @param servicePrefixes service names whose queues (`<service>.*`) are deleted.
 */
export async function cleanUpShared(topology: TestTopology, servicePrefixes: string[]): Promise<void> {
  await deleteSharedKeys(topology.keyPrefix);
  const queues = (await Promise.all(servicePrefixes.map((p) => listQueues(`${p}.`)))).flat().map((q) => q.name);
  const raw = await RawAmqp.connect();
  try {
    await raw.cleanup({ queues, exchanges: [topology.exchange, topology.deadLetterExchange] });
  } finally {
    await raw.close();
  }
}
