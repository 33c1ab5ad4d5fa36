import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { coalesceSocketWrites } from './socket-write-coalescer';

/** A real TCP pair on the loopback interface: what the client writes, the server collects. */
async function socketPair(): Promise<{ client: Socket; received: () => string; close: () => Promise<void> }> {
  let data = '';
  let serverSide: Socket | undefined;
  const server: Server = createServer((s) => {
    serverSide = s;
    s.on('data', (chunk: Buffer) => (data += chunk.toString()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  return {
    client,
    received: () => data,
    close: async () => {
      client.destroy();
      serverSide?.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceSocketWrites', () => {
  it('holds the writes of one turn and sends them together once the turn ends, in order', async () => {
    const pair = await socketPair();
    const writev = jest.spyOn(pair.client as unknown as { _writev: (...a: unknown[]) => void }, '_writev');
    coalesceSocketWrites(pair.client);

    pair.client.write(Buffer.from('one,'));
    pair.client.write(Buffer.from('two,'));
    await Promise.resolve();
    pair.client.write(Buffer.from('three'));
    expect(pair.client.writableCorked).toBe(1);
    expect(writev).not.toHaveBeenCalled();

    await nextTurn();
    expect(pair.client.writableCorked).toBe(0);
    expect(writev).toHaveBeenCalledTimes(1);
    await new Promise<void>((resolve) => {
      const check = () => (pair.received() === 'one,two,three' ? resolve() : setTimeout(check, 5));
      check();
    });
    await pair.close();
  });

  it('wraps a socket once however often it is applied', async () => {
    const pair = await socketPair();
    coalesceSocketWrites(pair.client);
    const wrapped = pair.client.write;
    coalesceSocketWrites(pair.client);
    expect(pair.client.write).toBe(wrapped);

    pair.client.write('x');
    expect(pair.client.writableCorked).toBe(1);
    await nextTurn();
    expect(pair.client.writableCorked).toBe(0);
    await pair.close();
  });

  it('passes write callbacks through', async () => {
    const pair = await socketPair();
    coalesceSocketWrites(pair.client);
    const written = new Promise<Error | null | undefined>((resolve) => pair.client.write('payload', (err) => resolve(err)));
    await expect(written).resolves.toBeFalsy();
    await pair.close();
  });
});
