import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RawAmqp } from './support/raw-amqp';
import { dropSampleServiceSchemas } from './support/postgres-test-schema';
import { uniqueName } from './support/test-names';
import { waitFor } from './support/wait-for';

const root = resolve(__dirname, '..');
const SAMPLES = ['auth', 'email', 'kyc', 'documents'];

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm run start:<service>` must leave no service behind when npm is stopped: a shell between
 * npm and node would die on SIGTERM and orphan the service, so the scripts `exec` node.
 */
describe('npm run start:<service>', () => {
  it('each start script builds, then replaces its shell with the service process', async () => {
    const scripts = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of SAMPLES) expect(scripts[`start:${name}`]).toBe(`npm run -s build && exec node dist/apps/${name}/src/main.js`);
  });

  it('a service started through npm stops with npm (SIGTERM to npm reaches the service)', async () => {
    // The scripts' run step, in a scratch package, so the test does not rebuild dist/ under other tests.
    const dir = await mkdtemp(join(tmpdir(), 'evbus-start-'));
    const serviceName = uniqueName('start-script');
    let pid = 0;
    try {
      const main = join(root, 'dist/apps/kyc/src/main.js');
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'start-check', private: true, scripts: { start: `true && exec node ${JSON.stringify(main)}` } }),
      );
      const npm = spawn('npm', ['run', '-s', 'start'], {
        cwd: dir,
        env: {
          ...process.env,
          PORT: '0',
          SERVICE_NAME: serviceName,
          EVENT_EXCHANGE: `${serviceName}.events`,
          DEAD_LETTER_EXCHANGE: `${serviceName}.dlx`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(() => output.includes('"outcome":"ready"'), { timeoutMs: 30_000, message: 'the service to listen' });
      pid = Number(/\[Nest\] (\d+)/.exec(output)?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(pid).not.toBe(npm.pid);

      npm.kill('SIGTERM');
      await waitFor(() => !alive(pid), { timeoutMs: 20_000, message: `service process ${pid} to stop with npm` });
    } finally {
      // A service left behind (the failure this test looks for) must not outlive the test.
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
      const raw = await RawAmqp.connect();
      const queue = `${serviceName}.USER_CREATED`;
      await raw.cleanup({
        queues: [queue, `${queue}.dlq`, `${queue}.retry.1000`],
        exchanges: [`${serviceName}.events`, `${serviceName}.dlx`],
      });
      await raw.close();
      await dropSampleServiceSchemas([serviceName]);
    }
  }, 60_000);
});
