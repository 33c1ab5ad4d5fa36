import { connect } from 'node:net';

/**
 * Tells whether something accepts TCP connections on 127.0.0.1:`port`.
 * @param port TCP port to probe.
 * @param timeoutMs how long to wait for the handshake before answering false.
 */
export function acceptsConnections(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const finish = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
