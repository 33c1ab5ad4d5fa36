import type { EventEnvelope } from 'nestjs-event-bus';
import { QueueArgumentsMismatchError } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

type Seen = Array<{ id: string; seq: number }>;

function recordInto(seen: Seen) {
  return (event: EventEnvelope<{ seq: number }>) => {
    seen.push({ id: event.id, seq: event.data.seq });
  };
}

async function publishMany(service: TestService, type: string, count: number): Promise<string[]> {
  const published = await Promise.all(Array.from({ length: count }, (_, seq) => service.bus.publish({ type, data: { seq } })));
  return published.map((e) => e.id);
}

describe('topology: fan-out, competing consumers, durability, order', () => {
  const topology = uniqueTopology('topo');
  const services: TestService[] = [];
  const queues: string[] = [];
  let raw: RawAmqp;

  const start = async (serviceName: string): Promise<TestService> => {
    const s = await startService(testOptions(serviceName, topology));
    services.push(s);
    return s;
  };

  beforeAll(async () => {
    raw = await RawAmqp.connect();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await raw.cleanupTopology(topology, queues);
    await raw.close();
  });

  it('fans out to every service: each gets every event', async () => {
    const [billing, audit] = [uniqueName('billing'), uniqueName('audit')];
    const a = await start(billing);
    const b = await start(audit);
    const seenA: Seen = [];
    const seenB: Seen = [];
    await a.bus.subscribe('ORDER_PAID', recordInto(seenA));
    await b.bus.subscribe('ORDER_PAID', recordInto(seenB));
    queues.push(`${billing}.ORDER_PAID`, `${audit}.ORDER_PAID`);

    const ids = await publishMany(a, 'ORDER_PAID', 50);
    await waitFor(() => seenA.length >= 50 && seenB.length >= 50, { message: 'both services to get 50 events' });
    expect(seenA.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(seenB.map((s) => s.id).sort()).toEqual([...ids].sort());
  });

  it('balances one service across instances: each event handled once, both instances work', async () => {
    const name = uniqueName('worker');
    const one = await start(name);
    const two = await start(name);
    const seenOne: Seen = [];
    const seenTwo: Seen = [];
    // Slow handlers with prefetch 1 so neither instance can take the whole batch alone.
    const slow = (seen: Seen) => async (e: EventEnvelope<{ seq: number }>) => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push({ id: e.id, seq: e.data.seq });
    };
    await one.bus.subscribe('JOB', slow(seenOne), { prefetch: 1 });
    await two.bus.subscribe('JOB', slow(seenTwo), { prefetch: 1 });
    queues.push(`${name}.JOB`);

    const ids = await publishMany(one, 'JOB', 100);
    await waitFor(() => seenOne.length + seenTwo.length >= 100, { message: '100 events handled' });
    const all = [...seenOne, ...seenTwo].map((s) => s.id);
    expect(new Set(all).size).toBe(100);
    expect(all.sort()).toEqual([...ids].sort());
    expect(seenOne.length).toBeGreaterThan(0);
    expect(seenTwo.length).toBeGreaterThan(0);
  });

  it('keeps events for a durable consumer that is down, but not for a non-durable one', async () => {
    const durableName = uniqueName('durable');
    const volatileName = uniqueName('volatile');
    queues.push(`${durableName}.STOCK`, `${volatileName}.STOCK`);
    const publisher = await start(uniqueName('pub'));

    // First run: bind both, then go down.
    const d1 = await start(durableName);
    const v1 = await start(volatileName);
    const volatileSub = await v1.bus.subscribe('STOCK', () => undefined, { durable: false });
    expect(volatileSub.queue).toMatch(new RegExp(`^${volatileName}\\.STOCK\\.[0-9a-f]{8}$`));
    await d1.bus.subscribe('STOCK', () => undefined, { durable: true });
    await d1.close();
    await v1.close();
    expect(await raw.depth(volatileSub.queue)).toBe(0);

    const ids = await publishMany(publisher, 'STOCK', 30);

    // Second run: the durable queue kept all 30; the new private queue starts empty.
    const d2 = await start(durableName);
    const v2 = await start(volatileName);
    const seenDurable: Seen = [];
    const seenVolatile: Seen = [];
    await d2.bus.subscribe('STOCK', recordInto(seenDurable), { durable: true });
    await v2.bus.subscribe('STOCK', recordInto(seenVolatile), { durable: false });
    await waitFor(() => seenDurable.length >= 30, { message: 'the durable consumer to catch up' });
    expect(seenDurable.map((s) => s.id).sort()).toEqual([...ids].sort());

    // A marker published now reaches the private queue; nothing from the downtime came before it.
    const marker = await publisher.bus.publish({ type: 'STOCK', data: { seq: -1 } });
    await waitFor(() => seenVolatile.some((s) => s.id === marker.id), { message: 'the marker' });
    expect(seenVolatile.map((s) => s.id)).toEqual([marker.id]);
  });

  it('keeps strict publish order for an ordered handler under two instances', async () => {
    const name = uniqueName('ordered');
    queues.push(`${name}.LEDGER`);
    const one = await start(name);
    const two = await start(name);
    const seen: Seen = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const handler = async (e: EventEnvelope<{ seq: number }>) => {
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push({ id: e.id, seq: e.data.seq });
      concurrent--;
    };
    await one.bus.subscribe('LEDGER', handler, { ordered: true });
    await two.bus.subscribe('LEDGER', handler, { ordered: true });

    for (let seq = 0; seq < 200; seq++) await one.bus.publish({ type: 'LEDGER', data: { seq } });
    await waitFor(() => seen.length >= 200, { message: '200 ordered events' });
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(maxConcurrent).toBe(1);
  });

  it('names queues per handler when one service has several handlers of a type', async () => {
    const name = uniqueName('multi');
    const s = await start(name);
    const a = await s.bus.subscribe('PING', () => undefined, { queue: `${name}.PING.audit` });
    const b = await s.bus.subscribe('PING', () => undefined);
    queues.push(a.queue, b.queue);
    await expect(s.bus.subscribe('PING', () => undefined)).rejects.toThrow(/would share queue/);
  });

  it('fails with the queue name and the differing argument when a queue exists with other arguments', async () => {
    const name = uniqueName('clash');
    const queue = `${name}.THING`;
    queues.push(queue);
    await raw.channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic', 'x-max-length': 10 } });
    const s = await start(name);
    const attempt = s.bus.subscribe('THING', () => undefined);
    await expect(attempt).rejects.toBeInstanceOf(QueueArgumentsMismatchError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`Queue "${queue.replace(/\./g, '\\.')}" already exists with different arguments: .*x-`),
    );
    // Never "fixed" by deleting: the queue is still there with its own arguments.
    expect(await raw.depth(queue)).toBe(0);
    const again = await raw.channel.checkQueue(queue);
    expect(again.queue).toBe(queue);
  });
});
