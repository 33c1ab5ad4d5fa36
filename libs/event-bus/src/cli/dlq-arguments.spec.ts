import { parseDlqArguments, type DlqCommand } from './dlq-arguments';
import { DlqUsageError } from './dlq-usage-error';

/** Parses like the command does, collecting the help text. */
function parse(argv: string[], programName = 'event-bus-dlq'): { command: DlqCommand | undefined; help: string } {
  let help = '';
  const command = parseDlqArguments(argv, { programName, writeHelp: (text) => (help += text) });
  return { command, help };
}

/** The usage error `argv` throws. */
function usageError(argv: string[], programName?: string): DlqUsageError {
  try {
    parse(argv, programName);
  } catch (error) {
    expect(error).toBeInstanceOf(DlqUsageError);
    return error as DlqUsageError;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

describe('parseDlqArguments', () => {
  it.each(['list', 'count', 'purge'] as const)('parses %s with its queue', (action) => {
    expect(parse([action, 'orders.ORDER_PLACED']).command).toEqual(
      expect.objectContaining({ action, queue: 'orders.ORDER_PLACED', json: false }),
    );
  });

  it('parses list with --limit and --json', () => {
    expect(parse(['list', 'q', '--limit', '5', '--json']).command).toEqual({ action: 'list', queue: 'q', limit: 5, json: true });
    expect(parse(['list', 'q']).command).toEqual({ action: 'list', queue: 'q', limit: undefined, json: false });
  });

  it('accepts options between the command and its arguments', () => {
    expect(parse(['replay', '--limit', '2', 'q']).command).toEqual({ action: 'replay', queue: 'q', ids: [], limit: 2, json: false });
  });

  it('collects repeated --id in order, once each', () => {
    expect(parse(['replay', 'q', '--id', 'evt-1', '--id', 'evt-2', '--limit', '10', '--id', 'evt-3', '--id', 'evt-1']).command).toEqual({
      action: 'replay',
      queue: 'q',
      limit: 10,
      ids: ['evt-1', 'evt-2', 'evt-3'],
      json: false,
    });
  });

  it('parses show with its queue, id, --limit and --json', () => {
    expect(parse(['show', 'q.dlq', 'evt-1']).command).toEqual({
      action: 'show',
      queue: 'q.dlq',
      id: 'evt-1',
      limit: undefined,
      json: false,
    });
    expect(parse(['show', 'q', 'evt-1', '--json', '--limit', '5000']).command).toEqual({
      action: 'show',
      queue: 'q',
      id: 'evt-1',
      limit: 5000,
      json: true,
    });
  });

  it('parses purge with --yes, -y and --json', () => {
    expect(parse(['purge', 'q']).command).toEqual({ action: 'purge', queue: 'q', yes: false, json: false });
    expect(parse(['purge', 'q', '--yes']).command).toEqual({ action: 'purge', queue: 'q', yes: true, json: false });
    expect(parse(['purge', '-y', 'q', '--json']).command).toEqual({ action: 'purge', queue: 'q', yes: true, json: true });
  });

  it.each([['list'], ['count'], ['show'], ['replay'], ['purge']])('takes --json on %s', (action) => {
    const argv = action === 'show' ? [action, 'q', 'evt-1', '--json'] : [action, 'q', '--json'];
    expect(parse(argv).command).toEqual(expect.objectContaining({ action, json: true }));
  });

  describe('usage errors: one line with the problem, the usage and where the help is', () => {
    it.each([
      [['explode', 'q'], "unknown command 'explode'", 'event-bus-dlq <command> <queue> [options]', 'event-bus-dlq --help'],
      [[], 'missing command', 'event-bus-dlq <command> <queue> [options]', 'event-bus-dlq --help'],
      [['help', 'explode'], "unknown command 'explode'", 'event-bus-dlq <command> <queue> [options]', 'event-bus-dlq --help'],
      [['--force'], "unknown option '--force'", 'event-bus-dlq <command> <queue> [options]', 'event-bus-dlq --help'],
      [['list'], "missing required argument 'queue'", 'event-bus-dlq list [options] <queue>', 'event-bus-dlq list --help'],
      [['show', 'q'], "missing required argument 'id'", 'event-bus-dlq show [options] <queue> <id>', 'event-bus-dlq show --help'],
      [['list', 'q', 'other'], "too many arguments for 'list'", 'event-bus-dlq list [options] <queue>', 'event-bus-dlq list --help'],
      [['list', 'q', '--force'], "unknown option '--force'", 'event-bus-dlq list [options] <queue>', 'event-bus-dlq list --help'],
      [['count', 'q', '--limit', '3'], "unknown option '--limit'", 'event-bus-dlq count [options] <queue>', 'event-bus-dlq count --help'],
      [
        ['replay', 'q', '--id'],
        "option '--id <event-id>' argument missing",
        'event-bus-dlq replay [options] <queue>',
        'event-bus-dlq replay --help',
      ],
      [['list', ''], "value '' is invalid for argument 'queue'", 'event-bus-dlq list [options] <queue>', 'event-bus-dlq list --help'],
    ])('%j', (argv, problem, usage, help) => {
      const error = usageError(argv);
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(problem);
      expect(error.message).toContain(`; usage: ${usage}; see '${help}'`);
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toMatch(/^error:/);
    });

    it('suggests the command meant, still on one line', () => {
      const error = usageError(['lst', 'q']);
      expect(error.message).toMatch(/^unknown command 'lst' \(Did you mean list\?\); usage: /);
      expect(error.message).not.toContain('\n');
    });

    it.each([['0'], ['-1'], ['1.5'], ['abc'], [''], ['1e3']])('rejects --limit %p, naming the option', (value) => {
      const error = usageError(['list', 'q', '--limit', value]);
      expect(error.message).toContain(
        `option '--limit <n>' argument '${value}' is invalid. It must be a whole number >= 1; usage: event-bus-dlq list`,
      );
    });

    it('rejects a blank --id', () => {
      expect(usageError(['replay', 'q', '--id', ' ']).message).toContain("option '--id <event-id>' argument ' ' is invalid");
    });

    it('names the program as it was started', () => {
      expect(usageError(['explode'], 'dlq').message).toContain("usage: dlq <command> <queue> [options]; see 'dlq --help'");
    });
  });

  describe('help', () => {
    it('shows the top-level help on stdout and returns no command', () => {
      const { command, help } = parse(['--help']);
      expect(command).toBeUndefined();
      expect(help).toMatch(/^Usage: event-bus-dlq <command> <queue> \[options\]/);
      for (const name of ['list', 'count', 'show', 'replay', 'purge']) expect(help).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(help).toContain('Examples:');
    });

    it.each([['list'], ['count'], ['show'], ['replay'], ['purge']])('shows the help of %s, with the environment variables', (name) => {
      for (const argv of [
        [name, '--help'],
        ['help', name],
        [name, 'q', '-h'],
      ]) {
        const { command, help } = parse(argv);
        expect(command).toBeUndefined();
        expect(help).toMatch(new RegExp(`^Usage: event-bus-dlq ${name} \\[options\\] <queue>`));
        expect(help).toContain('--json');
        for (const variable of ['RABBITMQ_URL', 'EVENT_EXCHANGE', 'DEAD_LETTER_EXCHANGE', 'SERVICE_NAME', 'REDIS_URL']) {
          expect(help).toContain(variable);
        }
      }
    });

    it('documents each command’s own options', () => {
      expect(parse(['list', '--help']).help).toContain('--limit <n>');
      expect(parse(['replay', '--help']).help).toMatch(/--id <event-id>[\s\S]*--limit <n>/);
      expect(parse(['show', '--help']).help).toContain('<queue> <id>');
      const purge = parse(['purge', '--help']).help;
      expect(purge).toContain('-y, --yes');
      expect(purge).toContain('stdin is not a terminal');
    });

    it('uses the program name in the help', () => {
      expect(parse(['count', '--help'], 'my-dlq').help).toMatch(/^Usage: my-dlq count /);
    });
  });
});
