import type { EventEnvelope } from 'nestjs-event-bus';
import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { deleteSharedKeys } from '../support/chaos-cleanup';
import type { FaultRecord } from '../support/chaos-faults';
import { ChaosLedger } from '../support/chaos-ledger';
import { chaosOptions } from '../support/chaos-options';
import { PacedLoad } from '../support/chaos-paced-load';
import { scaled } from '../support/chaos-profile';
import { waitUntilQueuesSettled } from '../support/chaos-queues';
import { recordScenario, scenarioRecord } from '../support/chaos-report';
import { startPrivateRabbitMqCluster, type ClusterNode, type PrivateRabbitMqCluster } from '../support/private-rabbitmq-cluster';
import { uniqueName, uniqueTopology } from '../support/test-names';
import { waitFor } from '../support/wait-for';

/** What one node kill cost: from the kill until events published after it were confirmed, and handled. */
interface NodeKillRecovery {
  role: 'follower' | 'leader';
  node: string;
  /** Kill until an event whose publish started after the kill was confirmed. */
  publishResumeMs: number;
  /** Kill until such an event was handled. */
  consumeResumeMs: number;
  /** Kill until the node was back in the cluster. */
  nodeDownMs: number;
}

/**
 * A private 3-node RabbitMQ cluster with quorum queues, under a steady publish load and two
 * idempotent consumer instances. One follower of the queue, then its leader, is killed with
 * SIGKILL and restarted. The clients list all three nodes (`rabbitmq.urls`, each in another
 * order, so every node carries a connection): whoever was connected to a killed node moves
 * on to the next one. Confirmed events must all be handled, each effect once.
 */
describe('chaos: RabbitMQ cluster, quorum queues, follower and leader killed with SIGKILL', () => {
  const topology = uniqueTopology('chaos-cluster');
  const service = uniqueName('chaos-cluster');
  const queue = `${service}.TICK`;
  const rate = scaled(150, 60);
  const steadyMs = scaled(5_000, 2_000);
  const apps: ChaosApp[] = [];
  let cluster: PrivateRabbitMqCluster;
  let ledger: ChaosLedger;

  beforeAll(async () => {
    [cluster, ledger] = await Promise.all([startPrivateRabbitMqCluster(3), ChaosLedger.open('rabbitmq-cluster')]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await cluster?.stop();
    await ledger?.close();
    await deleteSharedKeys(topology.keyPrefix);
  }, 120_000);

  it('loses and duplicates no event when a follower, then the leader, of the queue dies', async () => {
    const log = new CapturedLog();
    const urls = cluster.urls;
    const rotated = (by: number) => [...urls.slice(by), ...urls.slice(0, by)];
    const options = (name: string, by: number) =>
      chaosOptions(name, topology, { rabbitmq: { url: undefined, urls: rotated(by), queueType: 'quorum' } });
    // Consumer a starts at node 1 (which declares the queue, so usually leads it), consumer b
    // and the publisher at node 3: the follower killed below is node 3 whenever it follows.
    const [a, b, publisher] = await Promise.all([
      startChaosApp(options(service, 0), log),
      startChaosApp(options(service, 2), log),
      startChaosApp(options(uniqueName('chaos-cluster-pub'), 2), log),
    ]);
    apps.push(a, b, publisher);

    const load = new PacedLoad(publisher.bus, ledger, { type: 'TICK', ratePerSecond: rate, maxInFlight: 500 });
    let latestHandledStart = 0;
    const handler = (instance: string) => {
      const record = ledger.handler(instance, { workMs: 2 });
      return async (event: EventEnvelope) => {
        await record(event);
        latestHandledStart = Math.max(latestHandledStart, load.startOf(event.id) ?? 0);
      };
    };
    await a.bus.subscribe('TICK', handler('a'));
    await b.bus.subscribe('TICK', handler('b'));
    const members = await cluster.membersOf(queue);
    expect(members.sort()).toEqual(cluster.nodes.map((n) => n.nodeName).sort());
    const flags = await cluster.enabledFeatureFlags();

    const startedAt = Date.now();
    const loading = load.run();
    const faults: FaultRecord[] = [];
    const recoveries: NodeKillRecovery[] = [];
    const steady = async () => {
      const target = load.confirmed + Math.round((rate * steadyMs) / 1000);
      await waitFor(() => load.confirmed >= target, { timeoutMs: 120_000, intervalMs: 20, message: `${target} confirmed publishes` });
    };

    /** Kills `node`, restarts it, and measures how long publishing and consuming took to resume. */
    const killAndRestart = async (role: 'follower' | 'leader', node: ClusterNode) => {
      const confirmedBefore = load.confirmed;
      const effectsBefore = await ledger.effectsTotal();
      const killedAt = Date.now();
      await cluster.kill(node);
      const resumed = (latest: () => number) =>
        waitFor(() => latest() >= killedAt, {
          timeoutMs: 120_000,
          intervalMs: 5,
          message: `${role} kill: events published after it to get through`,
        }).then(() => Date.now() - killedAt);
      const publishing = resumed(() => load.latestConfirmedStart);
      const consuming = resumed(() => latestHandledStart);
      await cluster.restart(node);
      const nodeDownMs = Date.now() - killedAt;
      const [publishResumeMs, consumeResumeMs] = await Promise.all([publishing, consuming]);
      recoveries.push({ role, node: node.nodeName, publishResumeMs, consumeResumeMs, nodeDownMs });
      faults.push({
        kind: `${role} node kill -9, restart`,
        atMs: killedAt - startedAt,
        confirmedBefore,
        effectsBefore,
        outageMs: nodeDownMs,
        recoveryMs: consumeResumeMs,
      });
    };

    await steady();
    const firstLeader = await cluster.leaderOf(queue);
    const follower = [cluster.nodes[2], cluster.nodes[1]].find((n) => n !== firstLeader)!;
    await killAndRestart('follower', follower);
    await steady();
    const leader = await cluster.leaderOf(queue);
    await killAndRestart('leader', leader);
    const newLeader = await cluster.leaderOf(queue);
    await steady();

    load.stop();
    const result = await loading;
    const drainMs = await ledger.waitUntilHandled({ timeoutMs: 180_000 });
    await waitUntilQueuesSettled(service, { nodeName: cluster.nodes.find((n) => n.isRunning())!.nodeName, timeoutMs: 120_000 });
    const report = await ledger.classify();
    const rejected = Object.values(result.rejected).reduce((sum, n) => sum + n, 0);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const short = (node: ClusterNode | string) =>
      `node ${(typeof node === 'string' ? node : node.nodeName).replace(/^.*-(\d+)@.*$/, '$1')}`;

    recordScenario(
      scenarioRecord(
        {
          id: 'rabbitmq-cluster',
          title: 'RabbitMQ cluster: quorum queue follower, then leader, killed (SIGKILL) and restarted',
          published: result.attempted,
          faults,
          drainMs,
          notes: [
            `Private 3-node cluster (RabbitMQ ${(await cluster.ctl(['version'])).stdout.trim()}), queueType 'quorum' (members: ${members.length}); ` +
              `2 consumer instances and 1 publisher, each with rabbitmq.urls listing the 3 nodes (consumer a from node 1, consumer b and the publisher from node 3); ` +
              `${rate} publishes/s, handler work 2 ms, idempotency ledger in the shared Redis.`,
            ...recoveries.map(
              (r) =>
                `${r.role} kill (${short(r.node)}): publishing resumed after ${seconds(r.publishResumeMs)}, ` +
                `consuming after ${seconds(r.consumeResumeMs)} (from the kill until an event published after it was confirmed / handled); node back after ${seconds(r.nodeDownMs)}.`,
            ),
            `Leader of the queue: ${short(firstLeader)} at the start, ${short(leader)} when killed, ${short(newLeader)} after the election.`,
            `Publishes rejected to callers: ${rejected} ${JSON.stringify(result.rejected)} (allowed, not lost: the caller was told).`,
            `Redeliveries the ledger acked without running the handler: ${log.count('debug', 'Duplicate event acked')}. ` +
              `Connections made: ${log.count('log', 'Connected to RabbitMQ at')} (3 at the start, the rest moving off a killed node).`,
            `Feature flags enabled on the fresh cluster: ${flags.length} (${flags.filter((f) => /quorum|stream|dead|delivery/.test(f)).join(', ') || 'none of interest'}).`,
          ],
        },
        report,
      ),
    );

    expect(newLeader).not.toBe(leader);
    // 3 first connections, then at least one client moved off each killed node.
    expect(log.count('log', 'Connected to RabbitMQ at')).toBeGreaterThanOrEqual(5);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.handled).toBeGreaterThanOrEqual(result.confirmed);
    expect(result.confirmed).toBeGreaterThan(0);
  }, 600_000);
});
