import type { TestService } from './event-bus-app';
import { RawAmqp } from './raw-amqp';
import { runCommand } from './run-command';
import { uniqueName, uniqueTopology, type TestTopology } from './test-names';

/** Every broker entity an `ordered: 'byKey'` subscription on `queue` declares. */
export function partitionEntities(queue: string, partitions: number): { queues: string[]; exchanges: string[] } {
  const indexes = Array.from({ length: partitions }, (_, i) => i);
  return {
    queues: [...indexes.flatMap((i) => [`${queue}.p${i}`, `${queue}.p${i}.owner`]), `${queue}.members`, `${queue}.dlq`],
    exchanges: [`${queue}.by-key`, `${queue}.unkeyed`],
  };
}

/** Deletes an `ordered: 'byKey'` subscription's queues and exchanges, and the test's exchanges. */
export async function cleanupPartitioned(raw: RawAmqp, topology: TestTopology, queue: string, partitions: number): Promise<void> {
  const { queues, exchanges } = partitionEntities(queue, partitions);
  await raw.cleanup({ queues, exchanges: [...exchanges, topology.exchange, topology.deadLetterExchange] });
}

/** Closes, from the broker side, the connections this test's service opened (named after the service). */
export async function closeConnectionsOf(serviceName: string): Promise<number> {
  const listed = await runCommand('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'pid', 'client_properties']);
  if (listed.code !== 0) throw new Error(`rabbitmqctl list_connections failed: ${listed.stderr}`);
  const pids = listed.stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${serviceName}"}`))
    .map((line) => line.split('\t')[0]);
  for (const pid of pids) {
    const closed = await runCommand('rabbitmqctl', ['close_connection', pid, 'test: connection lost']);
    if (closed.code !== 0) throw new Error(`rabbitmqctl close_connection failed: ${closed.stderr}`);
  }
  return pids.length;
}

/** What {@link partitionedSuite} sets up for a `describe` block. */
export interface PartitionedSuite {
  readonly topology: TestTopology;
  readonly serviceName: string;
  /** The subscription's queue name (`<service>.<type>`). */
  readonly queue: string;
  /** Instances the tests start; each is closed after the block. */
  readonly services: TestService[];
  /** A raw connection for checks, open for the whole block. */
  raw(): RawAmqp;
}

/**
 * Registers the hooks of a block whose tests run instances of one service with an
 * `ordered: 'byKey'` subscription: a raw connection first; afterwards every instance closed and
 * the subscription's queues and exchanges deleted.
 */
export function partitionedSuite(label: string, type: string, partitions: number): PartitionedSuite {
  const topology = uniqueTopology(label);
  const serviceName = uniqueName(label);
  const queue = `${serviceName}.${type}`;
  const services: TestService[] = [];
  let raw: RawAmqp | undefined;
  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });
  afterAll(async () => {
    for (const service of services) await service.close().catch(() => undefined);
    if (!raw) return;
    await cleanupPartitioned(raw, topology, queue, partitions);
    await raw.close();
  });
  return {
    topology,
    serviceName,
    queue,
    services,
    raw: () => {
      if (!raw) throw new Error('the raw connection opens in beforeAll');
      return raw;
    },
  };
}
