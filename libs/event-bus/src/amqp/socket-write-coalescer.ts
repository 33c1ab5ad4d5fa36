/** The part of a socket the coalescer needs (net.Socket and tls.TLSSocket both fit). */
export interface CorkableSocket {
  write(...args: unknown[]): boolean;
  cork(): void;
  uncork(): void;
}

const coalesced = new WeakSet<object>();

/**
 * Makes a socket send everything written to it in one turn of the event loop as one write.
 *
 * amqplib writes every frame (each publish, each ack) to the socket on its own, and with
 * TCP_NODELAY, which the bus sets for low latency, every one of those writes is a system call
 * and a TCP packet of its own. Corking the socket at the first write of a turn and uncorking
 * it once the turn's callbacks and microtasks have run (`process.nextTick`) hands the kernel
 * one `writev` per turn instead: fewer system calls and packets, and no added wait, since the
 * data leaves before the event loop looks for I/O again. amqplib has no option for this.
 *
 * Safe to call more than once on the same socket.
 */
export function coalesceSocketWrites(socket: CorkableSocket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  const write = socket.write;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = function coalescingWrite(this: CorkableSocket, ...args: unknown[]): boolean {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  };
}
