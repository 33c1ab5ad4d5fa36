import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(__dirname, '..');

/** Runs a CommonJS snippet with plain node from the repository root, against the built package. */
async function nodeEval(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['-e', source], { cwd: root, timeout: 30_000 });
  return stdout.trim();
}

describe('built package entry points (as an application resolves them)', () => {
  it('exports the bus from nestjs-event-bus and the testing module only from nestjs-event-bus/testing', async () => {
    const out = await nodeEval(`
      const main = require('nestjs-event-bus');
      const testing = require('nestjs-event-bus/testing');
      console.log(JSON.stringify({
        main: ['EventBusModule', 'EventBus', 'DeadLetterService', 'EVENT_BUS_TRANSPORT', 'EVENT_BUS_STATE'].filter((k) => k in main),
        mainHasTesting: 'EventBusTestingModule' in main || 'EventBusTestHarness' in main,
        testing: Object.keys(testing).sort(),
      }));
    `);
    expect(JSON.parse(out)).toEqual({
      main: ['EventBusModule', 'EventBus', 'DeadLetterService', 'EVENT_BUS_TRANSPORT', 'EVENT_BUS_STATE'],
      mainHasTesting: false,
      testing: ['EventBusTestHarness', 'EventBusTestingModule'],
    });
  });

  it('exports the CQRS bridge from nestjs-event-bus/cqrs only; the main entry never loads @nestjs/cqrs', async () => {
    const out = await nodeEval(`
      const main = require('nestjs-event-bus');
      const loadedCqrs = () => Object.keys(require.cache).some((file) => file.includes('@nestjs/cqrs'));
      const before = loadedCqrs();
      const cqrs = require('nestjs-event-bus/cqrs');
      console.log(JSON.stringify({ before, mainHasBridge: 'EventBusCqrsModule' in main, cqrs: Object.keys(cqrs).sort() }));
    `);
    expect(JSON.parse(out)).toEqual({
      before: false,
      mainHasBridge: false,
      cqrs: ['CqrsEventType', 'EventBusCqrsModule', 'cqrsEventTypeOf'],
    });
  });

  it('refuses deep imports of internals (the exports map is the public surface)', async () => {
    const out = await nodeEval(`
      try { require('nestjs-event-bus/dist/publishing/event-publisher'); console.log('loaded'); }
      catch (err) { console.log(err.code); }
    `);
    expect(out).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('runs a handler through the built testing module', async () => {
    const out = await nodeEval(`
      require('reflect-metadata');
      const { Test } = require('@nestjs/testing');
      const { EventBus } = require('nestjs-event-bus');
      const { EventBusTestingModule, EventBusTestHarness } = require('nestjs-event-bus/testing');
      (async () => {
        const moduleRef = await Test.createTestingModule({ imports: [EventBusTestingModule.forRoot({ serviceName: 'pkg' })] }).compile();
        const app = await moduleRef.createNestApplication({ logger: false }).init();
        const seen = [];
        await app.get(EventBus).subscribe('PING', (event) => { seen.push(event.data.n); });
        await app.get(EventBus).publish({ type: 'PING', data: { n: 7 } });
        await app.get(EventBusTestHarness).waitFor('PING');
        await app.close();
        console.log(JSON.stringify(seen));
      })().catch((err) => { console.error(err); process.exit(1); });
    `);
    expect(JSON.parse(out)).toEqual([7]);
  });
});
