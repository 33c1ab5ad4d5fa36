import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RawAmqp } from './support/raw-amqp';
import { deleteKeys, RABBITMQ_URL, REDIS_URL, uniqueTopology } from './support/test-names';

const run = promisify(execFile);
const root = resolve(__dirname, '..');

/** The packages a user installs next to the library, at the versions this repository tests with. */
const PEERS = ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs', 'class-validator', 'class-transformer', 'prom-client'];

async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** What the packed library is tried with: a Nest app that publishes, handles and closes. */
const APP = `
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { EventBus, EventBusModule } = require('nestjs-event-bus');
const { EventBusTestingModule } = require('nestjs-event-bus/testing');
const [serviceName, exchange, deadLetterExchange, keyPrefix] = process.argv.slice(2);
(async () => {
  const options = {
    serviceName,
    rabbitmq: { url: process.env.RABBITMQ_URL, exchange, deadLetterExchange },
    redis: { url: process.env.REDIS_URL, keyPrefix },
  };
  const app = await NestFactory.createApplicationContext(EventBusModule.forRoot(options), { logger: ['error'] });
  const bus = app.get(EventBus);
  let received;
  const handled = new Promise((resolve) => (received = resolve));
  await bus.subscribe('PACKED_PING', (event) => received(event.data));
  await bus.publish({ type: 'PACKED_PING', data: { from: 'the packed tarball' } });
  const data = await handled;
  await app.close();
  console.log(JSON.stringify({ data, testing: typeof EventBusTestingModule.forRoot }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

/**
 * The library as users get it: `npm pack`, installed from the tarball into a project outside
 * this repository (so nothing resolves through the workspace), then used by a Nest app
 * against the real RabbitMQ and Redis, and through its `event-bus-dlq` command.
 */
describe('the packed package', () => {
  const topology = uniqueTopology('packed');
  const serviceName = topology.exchange.replace(/\.events$/, '');
  let scratch: string;
  let files: string[];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'evbus-packed-'));
    // `npm test` has built dist/ already; packing without the prepack build keeps dist/ stable
    // for the test files running alongside.
    const { stdout } = await run('npm', ['pack', '-w', 'libs/event-bus', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: root,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed.files.map((f) => f.path);
    const dependencies: Record<string, string> = { 'nestjs-event-bus': `file:./${packed.filename}` };
    for (const peer of PEERS) dependencies[peer] = await installedVersion(peer);
    await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'packed-check', private: true, dependencies }));
    await writeFile(join(scratch, 'app.js'), APP);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: scratch, timeout: 240_000 });
  }, 300_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    const raw = await RawAmqp.connect();
    const queue = `${serviceName}.PACKED_PING`;
    await raw.cleanup({
      queues: [queue, `${queue}.dlq`, `${queue}.retry.1000`],
      exchanges: [topology.exchange, topology.deadLetterExchange],
    });
    await raw.close();
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, topology.keyPrefix);
    redis.disconnect();
  });

  it('ships the build, typings, sources for its source maps, README, LICENSE and CHANGELOG, and no tests', () => {
    for (const path of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts'])
      expect(files).toContain(path);
    for (const path of ['dist/testing/index.d.ts', 'dist/cli/dlq.cli.js', 'src/index.ts']) expect(files).toContain(path);
    expect(files.filter((f) => /\.spec(-helper)?\.ts$/.test(f))).toEqual([]);
    // Every built file comes from a source that still exists: nothing stale from a renamed file.
    const sources = new Set(files.filter((f) => f.startsWith('src/')).map((f) => f.slice('src/'.length).replace(/\.ts$/, '')));
    const stale = files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .filter((f) => !sources.has(f.slice('dist/'.length).replace(/\.js$/, '')));
    expect(stale).toEqual([]);
  });

  it('boots a Nest app from the installed tarball: publish, handle, close', async () => {
    const { stdout } = await run(
      process.execPath,
      ['app.js', serviceName, topology.exchange, topology.deadLetterExchange, topology.keyPrefix],
      {
        cwd: scratch,
        env: { ...process.env, RABBITMQ_URL, REDIS_URL },
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({ data: { from: 'the packed tarball' }, testing: 'function' });
  }, 90_000);

  it('installs the event-bus-dlq command, which names itself and its environment in --help and works', async () => {
    const bin = join(scratch, 'node_modules', '.bin', 'event-bus-dlq');
    const help = await run(bin, ['--help'], { cwd: scratch });
    expect(help.stdout).toMatch(/Usage: event-bus-dlq/);
    expect(help.stdout).toContain('RABBITMQ_URL');
    const env = {
      ...process.env,
      RABBITMQ_URL,
      REDIS_URL,
      EVENT_EXCHANGE: topology.exchange,
      DEAD_LETTER_EXCHANGE: topology.deadLetterExchange,
    };
    const count = await run(bin, ['count', `${serviceName}.PACKED_PING`, '--json'], { cwd: scratch, env });
    expect(JSON.parse(count.stdout)).toEqual({ queue: `${serviceName}.PACKED_PING`, count: 0 });
  }, 60_000);
});
