import { connect } from 'amqplib';
import type { ConnectionOptions } from 'node:tls';
import { HashExchangePluginMissingError } from '../errors/hash-exchange-plugin-missing.error';
import { PartitionCountLoweredError } from '../errors/partition-count-lowered.error';
import { partitionExchangeName, partitionQueueName } from '../topology/partition-naming';
import { CONSISTENT_HASH_EXCHANGE_TYPE, partitionExchangeArguments, type PartitionTopology } from '../topology/partition-topology';

/** How the probe reaches the broker: the bus's own connection settings. */
export interface ProbeConnection {
  /** The bus's node URLs (`rabbitmq.urls`), tried in order until one answers. */
  urls: readonly string[];
  tls?: ConnectionOptions;
  connectTimeout: number;
  /** Shown in the broker's connection list. */
  connectionName: string;
}

/**
 * Checks, on a short connection of its own, what an `ordered: 'byKey'` subscription needs before
 * its consumer declares anything on the bus's connection: that the broker knows the
 * consistent-hash exchange type (an unknown exchange type is a connection error in AMQP, which
 * would cut every channel of the bus), and that the partition count was not lowered. Declares
 * the hash exchange as a side effect (idempotent).
 * @throws HashExchangePluginMissingError
 * @throws PartitionCountLoweredError
 */
export async function probeHashExchange(how: ProbeConnection, t: PartitionTopology): Promise<void> {
  const connection = await connectToAny(how);
  let closedWith: string | undefined;
  connection.on('error', (err: Error) => (closedWith = err.message));
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined); // the failing call rejects with it
    try {
      await channel.assertExchange(partitionExchangeName(t.queue), CONSISTENT_HASH_EXCHANGE_TYPE, {
        durable: true,
        arguments: partitionExchangeArguments(t.queue),
      });
    } catch (err) {
      const refusal = /COMMAND_INVALID - (.*?exchange type.*?)"?$/.exec(closedWith ?? '')?.[1];
      if (refusal) throw new HashExchangePluginMissingError(t.queue, refusal);
      throw err;
    }
    // A partition past the configured count exists only if the count was higher before.
    const beyond = partitionQueueName(t.queue, t.partitions);
    const exists = await channel.checkQueue(beyond).then(
      () => true,
      () => false,
    );
    if (exists) throw new PartitionCountLoweredError(t.queue, t.partitions, beyond);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** A connection to the first of the bus's nodes that answers; the last failure if none does. */
async function connectToAny(how: ProbeConnection): Promise<Awaited<ReturnType<typeof connect>>> {
  let lastError: unknown = new Error('no broker URL to probe');
  for (const url of how.urls) {
    try {
      return await connect(url, { ...how.tls, timeout: how.connectTimeout, clientProperties: { connection_name: how.connectionName } });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
