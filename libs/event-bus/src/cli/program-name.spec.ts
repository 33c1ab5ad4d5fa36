import { DEFAULT_PROGRAM_NAME, programNameOf } from './program-name';

describe('programNameOf', () => {
  it('is the installed command’s own name', () => {
    expect(programNameOf('/app/node_modules/.bin/event-bus-dlq')).toBe('event-bus-dlq');
    expect(programNameOf('/usr/local/bin/dlq')).toBe('dlq');
    expect(programNameOf('C:\\app\\node_modules\\.bin\\event-bus-dlq')).toBe('event-bus-dlq');
  });

  it.each([
    ['/app/libs/event-bus/dist/cli/dlq.cli.js'],
    ['dlq.cli.js'],
    ['C:\\app\\dist\\cli\\dlq.cli.js'],
    ['/src/cli/dlq.cli.ts'],
    ['x.cjs'],
    ['x.mjs'],
  ])('falls back to event-bus-dlq for the script file %s', (path) => {
    expect(programNameOf(path)).toBe(DEFAULT_PROGRAM_NAME);
  });

  it('falls back to event-bus-dlq without a path', () => {
    expect(programNameOf(undefined)).toBe('event-bus-dlq');
    expect(programNameOf('')).toBe('event-bus-dlq');
    expect(programNameOf('/app/bin/')).toBe('event-bus-dlq');
  });
});
