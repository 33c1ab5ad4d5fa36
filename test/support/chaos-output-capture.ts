/**
 * Everything the process prints while a block runs: stdout, stderr and the console. Used to
 * prove a secret never reaches any output, including output of third-party code that
 * bypasses the Nest logger.
 */
export async function captureOutput<T>(block: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; output: string }> {
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = consoleMethods.map((m) => console[m]);
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : String(chunk));
    return true;
  };
  process.stdout.write = record as typeof process.stdout.write;
  process.stderr.write = record as typeof process.stderr.write;
  for (const m of consoleMethods) console[m] = (...args: unknown[]) => void record(args.map(String).join(' '));
  try {
    return { result: await block(), error: undefined, output: chunks.join('') };
  } catch (error) {
    return { result: undefined, error, output: chunks.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    consoleMethods.forEach((m, i) => (console[m] = saved[i]));
  }
}
