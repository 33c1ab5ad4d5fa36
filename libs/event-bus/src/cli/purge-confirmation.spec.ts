import { PassThrough } from 'node:stream';
import type { DlqCommand } from './dlq-arguments';
import { DlqUsageError } from './dlq-usage-error';
import { askYesNo, requirePurgeConsent } from './purge-confirmation';

describe('requirePurgeConsent', () => {
  const purge = (yes: boolean): DlqCommand => ({ action: 'purge', queue: 'svc.T', yes, json: false });

  it('refuses a purge without --yes when stdin is not a terminal, saying to pass --yes', () => {
    expect(() => requirePurgeConsent(purge(false), false)).toThrow(DlqUsageError);
    expect(() => requirePurgeConsent(purge(false), false)).toThrow(/svc\.T.*pass --yes$/);
  });

  it('lets a purge with --yes, or on a terminal, through', () => {
    expect(() => requirePurgeConsent(purge(true), false)).not.toThrow();
    expect(() => requirePurgeConsent(purge(false), true)).not.toThrow();
  });

  it('ignores the other commands', () => {
    expect(() => requirePurgeConsent({ action: 'count', queue: 'q', json: false }, false)).not.toThrow();
  });
});

describe('askYesNo', () => {
  /** Asks, then feeds `typed` (ending the input when `end`). */
  async function answer(typed: string, end = false): Promise<{ yes: boolean; shown: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const asked = askYesNo('Delete? [y/N] ', input, output);
    input.write(typed);
    if (end) input.end();
    return { yes: await asked, shown };
  }

  it.each([['y\n'], ['Y\n'], ['yes\n'], [' YES \n']])('takes %p as yes', async (typed) => {
    expect((await answer(typed)).yes).toBe(true);
  });

  it.each([['\n'], ['n\n'], ['no\n'], ['yep\n'], ['sure\n']])('takes %p as no', async (typed) => {
    expect((await answer(typed)).yes).toBe(false);
  });

  it('takes the end of input as no', async () => {
    expect((await answer('', true)).yes).toBe(false);
  });

  it('shows the question on the output stream', async () => {
    expect((await answer('n\n')).shown).toContain('Delete? [y/N] ');
  });
});
