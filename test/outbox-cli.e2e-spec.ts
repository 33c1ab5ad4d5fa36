import { runOutboxCommand, type OutboxCommandPool } from 'nestjs-event-bus/cli/outbox-command';
import { Pool } from 'pg';
import { DATABASE_URL, dropSchema, testPool, uniqueSchema } from './support/postgres-test-schema';

/** `event-bus-outbox`: migrate, status, and the dead rows' list and replay, against the test database. */
describe('event-bus-outbox command', () => {
  const schema = uniqueSchema('cli');
  let pool: Pool;

  async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runOutboxCommand(argv, {
      env: { DATABASE_URL, EVENT_BUS_SCHEMA: schema },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      openPool: (url) => new Pool({ connectionString: url, max: 2 }) as unknown as OutboxCommandPool,
    });
    return { code, stdout, stderr };
  }

  beforeAll(() => {
    pool = testPool(2);
  });

  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('prints the migration without touching the database', async () => {
    const { code, stdout } = await run('migrate', '--print');
    expect(code).toBe(0);
    expect(stdout).toContain(`CREATE TABLE IF NOT EXISTS "${schema}".outbox`);
    const { rows } = await pool.query('SELECT to_regclass($1) AS t', [`"${schema}".outbox`]);
    expect(rows[0].t).toBeNull();
  });

  it('migrates, twice without harm, and reports the counts', async () => {
    expect(await run('migrate')).toMatchObject({ code: 0, stdout: `Outbox and inbox tables are in place in schema ${schema}\n` });
    expect((await run('migrate')).code).toBe(0);
    expect(await run('status')).toMatchObject({ code: 0, stdout: '{"pending":0,"sent":0,"dead":0}\n' });
  });

  it('lists dead rows and replays the named ones', async () => {
    const { rows } = await pool.query(
      `INSERT INTO "${schema}".outbox (event_id, event_type, exchange, routing_key, body, properties, state, attempts, last_error, dead_at)
       SELECT 'e-' || n, 'DEAD', 'events', 'DEAD', '\\x7b7d'::bytea, '{}'::jsonb, 'dead', 10, 'PublishNackError', now()
       FROM generate_series(1, 3) n RETURNING id::text AS id`,
    );
    const listed = await run('dead', 'list', '--limit', '2');
    expect(listed.code).toBe(0);
    const lines = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([rows[0].id, rows[1].id]);
    expect(lines[0]).toMatchObject({ eventId: 'e-1', type: 'DEAD', attempts: 10, lastError: 'PublishNackError' });
    const next = await run('dead', 'list', '--after', rows[1].id);
    expect(JSON.parse(next.stdout).id).toBe(rows[2].id);

    expect(await run('dead', 'replay', rows[0].id, '999999999')).toMatchObject({ code: 1, stdout: 'Replayed 1 row(s)\n' });
    expect(await run('status')).toMatchObject({ stdout: '{"pending":1,"sent":0,"dead":2}\n' });
    expect(await run('dead', 'replay', '--all')).toMatchObject({ code: 0, stdout: 'Replayed 2 row(s)\n' });
  });

  it('refuses a wrong command line with exit code 2 and a reason', async () => {
    expect(await run('dead', 'replay')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('name the row ids to replay, or pass --all'),
    });
    expect(await run('dead', 'list', '--limit', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('a positive integer') });
    const noUrl = await runOutboxCommand(['status'], {
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      openPool: () => null as never,
    });
    expect(noUrl).toBe(2);
  });
});
