import { runCommand } from './run-command';
import { waitFor } from './wait-for';

/** Messages of one queue: waiting, and delivered but not settled yet. */
export interface QueueStat {
  name: string;
  ready: number;
  unacked: number;
}

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/**
 * Every queue of a broker whose name starts with `prefix`. AMQP cannot see unacked messages,
 * so this asks `rabbitmqctl` (about half a second a call: for end-of-scenario checks).
 * @param nodeName a private node's name; the shared broker's default node when omitted.
 */
export async function listQueues(prefix: string, nodeName?: string): Promise<QueueStat[]> {
  const node = nodeName ? ['-n', nodeName] : [];
  const { code, stdout, stderr } = await runCommand(
    'rabbitmqctl',
    [...node, 'list_queues', '-q', '--no-table-headers', 'name', 'messages_ready', 'messages_unacknowledged'],
    { env: { PATH: SBIN_PATH }, timeoutMs: 30_000 },
  );
  if (code !== 0) throw new Error(`rabbitmqctl list_queues failed: ${stderr.trim()}`);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name]) => name?.startsWith(prefix))
    .map(([name, ready, unacked]) => ({ name, ready: Number(ready), unacked: Number(unacked) }));
}

/**
 * Waits until no message of the scenario is still in flight: every queue but the dead-letter
 * queues empty and nothing unacked. Only then can no late redelivery still add a duplicate.
 */
export async function waitUntilQueuesSettled(
  prefix: string,
  { nodeName, timeoutMs = 60_000 }: { nodeName?: string; timeoutMs?: number } = {},
): Promise<void> {
  let last: QueueStat[] = [];
  await waitFor(
    async () => {
      last = await listQueues(prefix, nodeName);
      return last.every((q) => q.unacked === 0 && (q.ready === 0 || q.name.endsWith('.dlq')));
    },
    { timeoutMs, intervalMs: 250, message: `queues ${prefix}* to settle` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(last)}`);
  });
}
