import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Collecting garbage on demand needs `gc`, which Node exposes only with --expose-gc; the
// flag can still be set at run time, and a fresh context then sees the function.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Memory held after a full garbage collection: the JS heap plus memory outside it
 * (Buffers: the bodies of pending publishes live there).
 */
export async function retainedBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collect();
    // Let finalizers and weak callbacks run between collections.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export const MiB = 1024 * 1024;
