import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports a private broker must never take: the shared services' standard ports, and
 * 35672-35682, which RabbitMQ's CLI tools (rabbitmqctl) bind for their own Erlang
 * distribution listener whenever they run.
 */
const RESERVED = new Set<number>([4369, 5672, 6379, 15672, 25672, ...Array.from({ length: 11 }, (_, i) => 35672 + i)]);

const LOWEST_CANDIDATE = 10_000;
const ATTEMPTS = 100;

/**
 * First port of the kernel's ephemeral range. Candidates are drawn below it: a broker that
 * is killed and restarted must bind the same port again, and a port from the ephemeral
 * range may meanwhile be taken as the local end of some unrelated outgoing connection.
 */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const parsed = Number(low);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * Tells whether `port` can be listened on at 127.0.0.1 right now.
 * @param port TCP port to try.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Picks a TCP port that is free on 127.0.0.1, preferring ports outside the kernel's
 * ephemeral range so the port stays available across a broker restart.
 * @param exclude ports already handed out to the caller, which must not be returned again.
 * @param companionOffset when set, `port + companionOffset` must be free and unreserved too
 *   (a Redis Cluster node also listens on its port + 10000 for the cluster bus).
 * @returns a port that was free when checked (another process may still take it later).
 */
export async function findFreePort(exclude: Iterable<number> = [], companionOffset?: number): Promise<number> {
  const taken = new Set<number>([...RESERVED, ...exclude]);
  const usable = async (port: number) =>
    !taken.has(port) &&
    (companionOffset === undefined ||
      (port + companionOffset <= 65_535 && !taken.has(port + companionOffset) && (await isPortFree(port + companionOffset)))) &&
    (await isPortFree(port));
  const highest = ephemeralRangeStart() - 1;
  if (highest > LOWEST_CANDIDATE) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const candidate = LOWEST_CANDIDATE + Math.floor(Math.random() * (highest - LOWEST_CANDIDATE + 1));
      if (await usable(candidate)) {
        return candidate;
      }
    }
  }
  return osAssignedPort(taken, companionOffset === undefined ? undefined : usable);
}

/**
 * Picks `count` distinct free ports.
 * @param count how many ports are needed.
 * @param companionOffset when set, each port's `port + companionOffset` is free too and not among the others.
 */
export async function findFreePorts(count: number, companionOffset?: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const companions = companionOffset === undefined ? [] : ports.flatMap((p) => [p + companionOffset, p - companionOffset]);
    ports.push(await findFreePort([...ports, ...companions], companionOffset));
  }
  return ports;
}

/** Falls back on the kernel's choice when no candidate below the ephemeral range is free. */
async function osAssignedPort(
  taken: ReadonlySet<number>,
  usable: (port: number) => Promise<boolean> = async (port) => !taken.has(port),
): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1' }, () => {
        const address = server.address();
        const assigned = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(assigned));
      });
    });
    if (port !== 0 && (await usable(port))) {
      return port;
    }
  }
  throw new Error('no free TCP port found on 127.0.0.1');
}
