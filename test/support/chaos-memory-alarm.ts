import { runCommand } from './run-command';

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/**
 * Raises or clears a private node's memory alarm. While it is raised the broker blocks every
 * publishing connection: it stops reading their sockets, so publishes neither arrive nor get
 * confirmed until the alarm clears, and then arrive all at once.
 * @param nodeName a private node (never the shared broker).
 */
export async function setMemoryAlarm(nodeName: string, raised: boolean): Promise<void> {
  const watermark = raised ? '0' : '0.4';
  const { code, stderr } = await runCommand('rabbitmqctl', ['-n', nodeName, 'set_vm_memory_high_watermark', watermark], {
    env: { PATH: SBIN_PATH },
    timeoutMs: 30_000,
  });
  if (code !== 0) throw new Error(`set_vm_memory_high_watermark ${watermark} on ${nodeName} failed: ${stderr.trim()}`);
}
