import type { DeadLetter, ListDeadLettersOptions, ReplayDeadLettersOptions, ReplayResult } from '../dead-letters/dead-letter.interface';
import { deadLetter } from './dead-letter.spec-helper';
import type { DlqCommand } from './dlq-arguments';
import { runDlqCommand, type Confirm, type DeadLetterOperations } from './dlq-runner';
import { SHOW_SCAN_DEFAULT } from './find-dead-letter';

/** A DLQ in memory, with the store's semantics: oldest first, `limit` counts replayed letters. */
class FakeDeadLetters implements DeadLetterOperations {
  readonly calls: string[] = [];
  constructor(
    public letters: DeadLetter[],
    private readonly missingQueues: string[] = [],
  ) {}

  async list(queue: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    this.calls.push(`list ${queue} ${options.limit ?? '-'}`);
    return this.letters.slice(0, options.limit ?? 100);
  }

  async count(queue: string): Promise<number> {
    this.calls.push(`count ${queue}`);
    return this.letters.length;
  }

  async replay(queue: string, options: ReplayDeadLettersOptions = {}): Promise<ReplayResult> {
    this.calls.push(`replay ${queue}`);
    const result: ReplayResult = { replayed: [], skipped: [] };
    for (const letter of [...this.letters]) {
      if (result.replayed.length >= (options.limit ?? Infinity)) break;
      if (options.ids && !options.ids.includes(letter.eventId)) continue;
      if (this.missingQueues.includes(letter.originalQueue))
        result.skipped.push({ eventId: letter.eventId, originalQueue: letter.originalQueue });
      else {
        result.replayed.push(letter.eventId);
        this.letters = this.letters.filter((l) => l !== letter);
      }
    }
    return result;
  }

  async purge(queue: string): Promise<number> {
    this.calls.push(`purge ${queue}`);
    const n = this.letters.length;
    this.letters = [];
    return n;
  }
}

const letters = () => [deadLetter({ eventId: 'a' }), deadLetter({ eventId: 'b', originalQueue: 'gone' }), deadLetter({ eventId: 'c' })];
const never: Confirm = async () => {
  throw new Error('must not ask');
};
const run = (command: DlqCommand, dlq: DeadLetterOperations, confirm: Confirm = never) => runDlqCommand(command, dlq, confirm);

describe('runDlqCommand', () => {
  describe('list', () => {
    it('prints the table', async () => {
      const outcome = await run({ action: 'list', queue: 'q', limit: 2, json: false }, new FakeDeadLetters(letters()));
      expect(outcome.exitCode).toBe(0);
      expect(outcome.warnings).toEqual([]);
      expect(outcome.stdout.split('\n').map((l) => l.split(' ')[0])).toEqual(['EVENT', '--------', 'a', 'b']);
    });

    it('prints one JSON document with every field', async () => {
      const outcome = await run({ action: 'list', queue: 'q', json: true }, new FakeDeadLetters(letters()));
      expect(JSON.parse(outcome.stdout)).toEqual({ queue: 'q', deadLetters: JSON.parse(JSON.stringify(letters())) });
    });
  });

  describe('count', () => {
    it('prints the count as before', async () => {
      expect((await run({ action: 'count', queue: 'q', json: false }, new FakeDeadLetters(letters()))).stdout).toBe(
        '3 dead letter(s) in q',
      );
    });

    it('prints JSON', async () => {
      expect(JSON.parse((await run({ action: 'count', queue: 'q', json: true }, new FakeDeadLetters(letters()))).stdout)).toEqual({
        queue: 'q',
        count: 3,
      });
    });
  });

  describe('show', () => {
    it('prints the dead letter in full, looking through the default number', async () => {
      const dlq = new FakeDeadLetters(letters());
      const outcome = await run({ action: 'show', queue: 'q', id: 'b', json: false }, dlq);
      expect(outcome).toEqual(expect.objectContaining({ exitCode: 0, warnings: [] }));
      expect(outcome.stdout).toMatch(/^Event ID +b$/m);
      expect(outcome.stdout).toMatch(/^Original queue +gone$/m);
      expect(dlq.calls).toEqual([`list q ${SHOW_SCAN_DEFAULT}`]);
    });

    it('prints JSON', async () => {
      const outcome = await run({ action: 'show', queue: 'q', id: 'c', json: true }, new FakeDeadLetters(letters()));
      expect(JSON.parse(outcome.stdout)).toEqual({ queue: 'q', deadLetter: JSON.parse(JSON.stringify(letters()[2])) });
    });

    it('warns and exits 1 for an unknown id, printing nothing on stdout', async () => {
      const outcome = await run({ action: 'show', queue: 'q', id: 'zzz', json: true }, new FakeDeadLetters(letters()));
      expect(outcome).toEqual({ stdout: '', warnings: ['warning: no dead letter in q with id zzz'], exitCode: 1 });
    });

    it('says to raise --limit when the id may be further back', async () => {
      const dlq = new FakeDeadLetters(letters());
      const outcome = await run({ action: 'show', queue: 'q', id: 'c', limit: 2, json: false }, dlq);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.warnings).toEqual(['warning: no dead letter in q with id c among the oldest 2 (raise --limit to look further)']);
      expect(dlq.calls).toEqual(['list q 2']);
    });
  });

  describe('replay', () => {
    it('prints what was replayed and skipped, as before', async () => {
      const outcome = await run({ action: 'replay', queue: 'q', ids: [], json: false }, new FakeDeadLetters(letters(), ['gone']));
      expect(outcome).toEqual({
        stdout: ['replayed 2 dead letter(s) from q', '  a', '  c', 'skipped b: queue gone does not exist'].join('\n'),
        warnings: [],
        exitCode: 0,
      });
    });

    it('replays the ids that match, warns about the others and exits 1', async () => {
      const dlq = new FakeDeadLetters(letters());
      const outcome = await run({ action: 'replay', queue: 'q', ids: ['c', 'nope', 'a', 'gone-too'], json: false }, dlq);
      expect(outcome.stdout).toBe(['replayed 2 dead letter(s) from q', '  a', '  c'].join('\n'));
      expect(outcome.warnings).toEqual(['warning: no dead letter in q with id nope, gone-too']);
      expect(outcome.exitCode).toBe(1);
      expect(dlq.letters.map((l) => l.eventId)).toEqual(['b']);
    });

    it('counts a skipped id as found', async () => {
      const outcome = await run({ action: 'replay', queue: 'q', ids: ['b'], json: false }, new FakeDeadLetters(letters(), ['gone']));
      expect(outcome.exitCode).toBe(0);
      expect(outcome.warnings).toEqual([]);
    });

    it('does not call an id missing when the limit stopped the replay before it', async () => {
      const outcome = await run({ action: 'replay', queue: 'q', ids: ['a', 'c'], limit: 1, json: false }, new FakeDeadLetters(letters()));
      expect(outcome).toEqual(expect.objectContaining({ warnings: [], exitCode: 0 }));
    });

    it('still finds missing ids when the limit was not reached', async () => {
      const outcome = await run(
        { action: 'replay', queue: 'q', ids: ['a', 'nope'], limit: 5, json: false },
        new FakeDeadLetters(letters()),
      );
      expect(outcome.warnings).toEqual(['warning: no dead letter in q with id nope']);
      expect(outcome.exitCode).toBe(1);
    });

    it('prints JSON naming the ids not found', async () => {
      const outcome = await run({ action: 'replay', queue: 'q', ids: ['b', 'nope'], json: true }, new FakeDeadLetters(letters(), ['gone']));
      expect(JSON.parse(outcome.stdout)).toEqual({
        queue: 'q',
        replayed: [],
        skipped: [{ eventId: 'b', originalQueue: 'gone' }],
        notFound: ['nope'],
      });
      expect(outcome.exitCode).toBe(1);
    });
  });

  describe('purge', () => {
    it('purges at once with --yes', async () => {
      const dlq = new FakeDeadLetters(letters());
      const outcome = await run({ action: 'purge', queue: 'q', yes: true, json: false }, dlq);
      expect(outcome).toEqual({ stdout: 'purged 3 dead letter(s) from q', warnings: [], exitCode: 0 });
      expect(dlq.calls).toEqual(['purge q']);
    });

    it('asks first without --yes, saying how many wait', async () => {
      const dlq = new FakeDeadLetters(letters());
      const questions: string[] = [];
      const outcome = await run({ action: 'purge', queue: 'q', yes: false, json: true }, dlq, async (question) => {
        questions.push(question);
        return true;
      });
      expect(questions).toEqual(['Delete every dead letter of q (3 now)? [y/N] ']);
      expect(JSON.parse(outcome.stdout)).toEqual({ queue: 'q', purged: 3 });
    });

    it('deletes nothing and exits 1 when the answer is no', async () => {
      const dlq = new FakeDeadLetters(letters());
      const outcome = await run({ action: 'purge', queue: 'q', yes: false, json: false }, dlq, async () => false);
      expect(outcome).toEqual({ stdout: '', warnings: ['purge cancelled; nothing was deleted'], exitCode: 1 });
      expect(dlq.calls).toEqual(['count q']);
      expect(dlq.letters).toHaveLength(3);
    });
  });
});
